import { expect } from 'vitest';
import { encryptPII, lookupHash, maskIdentifier } from '../../../../../cms/src/lib/pii';
import { createVotingEvent } from '../../../../sms-voting/server/src/__tests__/fixtures';
import { nextPhoneNumber, sendSms } from '../../../../sms-voting/server/src/__tests__/sms';
import type { CrmHarness } from './harness';

export const PRIVACY_ROLE = 'crm-privacy-test';
let sequence = 0;

/**
 * A role with every CRM permission, reveal and export included (the Marketing role has neither),
 * made once per run, and a fan made the way the platform makes one: joined an event by keyword, voted
 * by SMS, said YES to marketing, with an email address on file and a message in the outbox.
 */
export async function privacyRole(h: CrmHarness) {
  const roles = h.strapi.service('admin::role');
  const existing = await roles.findOne({ code: PRIVACY_ROLE });
  if (existing) return;
  const role = await roles.create({ name: `CRM privacy ${Date.now()}`, code: PRIVACY_ROLE, description: 'Tests: every CRM permission' });
  const actions = ['read', 'manage', 'reveal-contact', 'export'].map((action) => ({ action: `plugin::crm.${action}`, subject: null, properties: {}, conditions: [] }));
  await roles.addPermissions(role.id, actions);
}

export async function joinedFan(h: CrmHarness, event?: Awaited<ReturnType<typeof createVotingEvent>>, { email = true } = {}) {
  const voting = event ?? (await createVotingEvent(h.strapi));
  const phone = nextPhoneNumber();
  const address = `Fan.${Date.now().toString(36)}.${(sequence += 1)}@Example.test`;
  expect((await sendSms({ from: phone, body: voting.keyword })).response.status).toBe(200);
  expect((await sendSms({ from: phone, body: '2' })).response.status).toBe(200);
  await sendSms({ from: phone, body: 'YES' });
  const fan = (await h.strapi.service('api::fan.fan').findByPhone(phone)) as { id: number; documentId: string };
  if (email) {
    const lower = address.toLowerCase();
    await h.strapi.db.connection('fans').where({ id: fan.id }).update({ email_encrypted: encryptPII(lower), email_hash: lookupHash(lower) });
    await h.consent(lower, { channel: 'email', purpose: 'marketing_email', action: 'opt_in' });
    await h.strapi.service('api::message.message').queue([{ idempotencyKey: `privacy-test:${fan.documentId}:email`, channel: 'email', to: lower, subject: 'News', body: 'The finale is next Friday', purpose: 'campaign' }]);
  }
  await h.strapi.service('api::message.message').queue([{ idempotencyKey: `privacy-test:${fan.documentId}:sms`, channel: 'sms', to: phone, body: 'The finale is next Friday', purpose: 'campaign', topic: `round-open:${voting.roundRef}` }]);
  return { ...fan, phone, email: address.toLowerCase(), typedEmail: address, event: voting, masked: maskIdentifier(phone) };
}
