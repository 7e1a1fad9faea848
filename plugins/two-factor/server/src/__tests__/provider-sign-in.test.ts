/**
 * A sign-in through an OAuth provider (`/api/connect/:provider`, then `/api/auth/:provider/callback`)
 * does not skip the second factor: for an account with two-factor on it answers a challenge, not a
 * JWT, and no session exists before the code. The provider is a local HTTP server speaking OAuth 2
 * (authorization code, token endpoint, userinfo), driven through Strapi's own connect flow.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { Core } from '@strapi/strapi';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { getService } from '../utils/get-service';
import { codeFor, newAddress, stepNow, trustProxy } from './people';

const PROVIDER = 'ovationid';
const RUN = Date.now().toString(36);
let sequence = 0;

/** The provider's side: a code for whoever asks to sign in, a token for the code, the profile for the token. */
async function startProvider(profiles: Map<string, { email: string; username: string }>) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://provider');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/token') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const code = new URLSearchParams(body).get('code') ?? '';
        return profiles.has(code) ? json(200, { access_token: code, token_type: 'bearer' }) : json(400, { error: 'invalid_grant' });
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/userinfo') {
      const profile = profiles.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      return profile ? json(200, profile) : json(401, { error: 'invalid_token' });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('two-factor: provider sign-in', () => {
  let strapi: Core.Strapi;
  let restoreProxy: () => void;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let grantBefore: Record<string, unknown>;
  const profiles = new Map<string, { email: string; username: string }>();
  const store = () => strapi.store({ type: 'plugin', name: 'users-permissions' });

  beforeAll(async () => {
    strapi = await bootStrapi();
    restoreProxy = trustProxy(strapi);
    provider = await startProvider(profiles);
    strapi.plugin('users-permissions').service('providers-registry').add(PROVIDER, {
      enabled: true,
      icon: '',
      grantConfig: {},
      async authCallback({ accessToken }: { accessToken: string }) {
        const res = await fetch(`${provider.url}/userinfo`, { headers: { Authorization: `Bearer ${accessToken}` } });
        if (!res.ok) throw new Error(`userinfo answered ${res.status}`);
        return (await res.json()) as { email: string; username: string };
      },
    });
    grantBefore = (await store().get({ key: 'grant' })) as Record<string, unknown>;
    await store().set({
      key: 'grant',
      value: {
        ...grantBefore,
        [PROVIDER]: { enabled: true, key: 'ovation-client', secret: 'ovation-secret', callback: 'http://127.0.0.1:4321/signed-in', oauth: 2, authorize_url: `${provider.url}/authorize`, access_url: `${provider.url}/token`, scope: ['email'] },
      },
    });
  });
  afterAll(async () => {
    await store()?.set({ key: 'grant', value: grantBefore });
    strapi?.plugin('users-permissions').service('providers-registry').remove(PROVIDER);
    await provider?.close();
    restoreProxy?.();
  });

  /** An account that signs in through the provider. */
  async function providerAccount() {
    sequence += 1;
    const email = `provider-${RUN}-${sequence}@ovation.test`;
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    const user = await strapi.plugin('users-permissions').service('user').add({ username: `provider-${RUN}-${sequence}`, email, provider: PROVIDER, confirmed: true, blocked: false, role: role.id });
    const code = `code-${RUN}-${sequence}`;
    profiles.set(code, { email, username: `provider-${RUN}-${sequence}` });
    return { id: Number(user.id), code };
  }

  /** The browser's round trip: to the provider and back with its code; then the app asks Strapi for the sign-in. */
  async function signInThroughProvider(code: string, from: string) {
    const agent = request.agent(strapi.server.httpServer);
    const start = await agent.get(`/api/connect/${PROVIDER}`).set('X-Forwarded-For', from);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.location);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.url}/authorize`);
    const back = await agent.get(`/api/connect/${PROVIDER}/callback`).query({ code, state: authorize.searchParams.get('state') }).set('X-Forwarded-For', from);
    expect(back.status).toBe(302);
    expect(back.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:4321\/signed-in/);
    expect(back.headers.location).not.toContain('error');
    return agent.get(`/api/auth/${PROVIDER}/callback`).set('X-Forwarded-For', from);
  }
  const sessionsOf = (id: number) => strapi.db.query('admin::session').count({ where: { userId: String(id), origin: 'users-permissions' } });

  it('signs an account without two-factor straight in, as Strapi does', async () => {
    const account = await providerAccount();
    const res = await signInThroughProvider(account.code, newAddress());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jwt: expect.any(String), user: { id: account.id } });
    expect((await request(strapi.server.httpServer).get('/api/users/me').set('Authorization', `Bearer ${res.body.jwt}`)).status).toBe(200);
  });

  it('answers a challenge, no JWT and no session, for an account with two-factor on; the code then signs in', async () => {
    const account = await providerAccount();
    const owner = { kind: 'user' as const, id: account.id };
    const { secret } = await getService(strapi, 'factors').begin(owner, `provider account ${account.id}`);
    await getService(strapi, 'factors').confirm(owner, await codeFor(secret, stepNow() - 1));
    const from = newAddress();

    const res = await signInThroughProvider(account.code, from);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ twoFactorRequired: true, challenge: expect.any(String) });
    expect(await sessionsOf(account.id)).toBe(0);

    const wrong = await request(strapi.server.httpServer).post('/api/two-factor/verify').set('X-Forwarded-For', from).send({ challenge: res.body.challenge, code: '000000' });
    expect(wrong.status).toBe(400);
    const verified = await request(strapi.server.httpServer).post('/api/two-factor/verify').set('X-Forwarded-For', from).send({ challenge: res.body.challenge, code: await codeFor(secret, stepNow()) });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ jwt: expect.any(String), refreshToken: expect.any(String), user: { id: account.id } });
    expect(await sessionsOf(account.id)).toBe(1);
  });

  it('refuses the callback without a completed provider round trip, in Strapi’s error shape', async () => {
    const res = await request(strapi.server.httpServer).get(`/api/auth/${PROVIDER}/callback`).query({ access_token: 'anything' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'ApplicationError', message: 'OAuth authentication requires a completed provider session' });
  });
});
