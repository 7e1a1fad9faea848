/**
 * Two-factor events (plugins/two-factor) in the trail: an API user's enrolment, the sign-in's
 * password step (pending), a wrong code (a failure by that account), the right one, and a super
 * admin's reset of an admin's factor, each with the request's address, user agent and request id.
 */
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { codeFor, createApiUser, stepNow } from '../../../../two-factor/server/src/__tests__/people';
import { diffOf, requestEntries } from './request-entries';

describe('audit trail: two-factor', () => {
  let strapi: Core.Strapi;
  let entries: ReturnType<typeof requestEntries>;

  beforeAll(async () => {
    strapi = await bootStrapi();
    entries = requestEntries(strapi);
  });

  it('records an enrolment, the pending password step, a failed code and the accepted one, never the secret or a code', async () => {
    const user = await createApiUser(strapi);
    entries.secrets.push(user.password, user.email);
    const headers = (id: string, jwt?: string) => ({ 'X-Request-Id': id, 'User-Agent': 'two-factor-audit/1.0', ...(jwt ? { Authorization: `Bearer ${jwt}` } : {}) });
    const { jwt } = (await (await http()).post('/api/auth/local').send({ identifier: user.email, password: user.password }).expect(200)).body;
    const { secret } = (await (await http()).post('/api/two-factor/enrol').set(headers(entries.requestId(), jwt)).send({}).expect(200)).body.data;
    entries.secrets.push(secret);

    const confirm = entries.requestId();
    const confirmed = await (await http()).post('/api/two-factor/confirm').set(headers(confirm, jwt)).send({ code: await codeFor(secret, stepNow() - 1) }).expect(200);
    entries.secrets.push(...confirmed.body.data.recoveryCodes.map((code: string) => code.replace('-', '')));
    expect(await entries.onlyEntry(confirm)).toMatchObject({
      action: 'two-factor.enrolled',
      outcome: 'success',
      actor_kind: 'user',
      actor_id: String(user.id),
      content_type: 'plugin::users-permissions.user',
      document_id: String(user.id),
      user_agent: 'two-factor-audit/1.0',
      request_id: confirm,
    });

    const password = entries.requestId();
    const { challenge } = (await (await http()).post('/api/auth/local').set(headers(password)).send({ identifier: user.email, password: user.password }).expect(200)).body;
    const pending = await entries.onlyEntry(password);
    expect(pending).toMatchObject({ action: 'user.login', outcome: 'success', actor_kind: 'user', actor_id: String(user.id) });
    expect(diffOf(pending).after).toEqual({ twoFactor: 'pending' });

    const wrong = entries.requestId();
    const wrongCode = await codeFor(secret, stepNow() - 5);
    await (await http()).post('/api/two-factor/verify').set(headers(wrong)).send({ challenge, code: wrongCode }).expect(400);
    const failure = await entries.onlyEntry(wrong);
    expect(failure).toMatchObject({ action: 'two-factor.failed', outcome: 'failure', actor_kind: 'user', actor_id: String(user.id), document_id: String(user.id), ip: expect.any(String) });
    expect(JSON.parse(failure.error as string)).toEqual({ name: 'ValidationError', message: 'Invalid code' });

    const right = entries.requestId();
    await (await http()).post('/api/two-factor/verify').set(headers(right)).send({ challenge, code: await codeFor(secret, stepNow()) }).expect(200);
    const verified = await entries.onlyEntry(right);
    expect(verified).toMatchObject({ action: 'two-factor.verified', outcome: 'success', actor_id: String(user.id) });
    expect(diffOf(verified).after).toEqual({ by: 'totp' });

    const everything = JSON.stringify(await strapi.db.connection('audit_trail_entries').where('request_id', 'in', [confirm, password, wrong, right]));
    for (const secretValue of [secret, wrongCode, user.password, user.email]) expect(everything).not.toContain(secretValue);
  });

  it("records a super admin's reset of an admin's two-factor as theirs, on the admin it concerns", async () => {
    const target = await createAdminUser(strapi, ROLES.editor);
    const own = { Authorization: `Bearer ${await adminToken(target)}` };
    const { secret } = (await (await http()).post('/two-factor/me/enrol').set(own).send({}).expect(200)).body.data;
    await (await http()).post('/two-factor/me/confirm').set(own).send({ code: await codeFor(secret, stepNow()) }).expect(200);
    const superAdmin = await createAdminUser(strapi);
    const reset = entries.requestId();
    await (await http()).delete(`/two-factor/users/${target.id}`).set({ Authorization: `Bearer ${await adminToken(superAdmin)}`, 'X-Request-Id': reset }).expect(200);
    expect(await entries.onlyEntry(reset)).toMatchObject({
      action: 'two-factor.reset',
      outcome: 'success',
      actor_kind: 'admin',
      actor_id: String(superAdmin.id),
      content_type: 'admin::user',
      document_id: String(target.id),
    });
  });
});
