import crypto from 'crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../../../cms/src/seed';
import { nextPhoneNumber, sendSms } from '../../../../sms-voting/server/src/__tests__/sms';
import { crmHarness, type CrmHarness } from './harness';

const INVITE = 'Reply YES for news from Ovation.';

/** Joining by keyword is not marketing consent: the reply invites it, and YES records it with the text shown. */
describe('marketing opt-in by YES after a keyword join', () => {
  let h: CrmHarness;
  const records = (phone: string) =>
    h.strapi.db.connection('consent_records').where({ subject_hash: h.strapi.service('api::fan.fan').hashPhone(phone) }).orderBy('id');
  const marketingCount = async (tag: string) =>
    (await h.api.post('/segments/count', { rules: { all: [h.byTag(tag), { field: 'consent', op: 'has', value: { purpose: 'marketing_sms', channel: 'sms' } }] } })).body.data.count;

  beforeAll(async () => {
    h = await crmHarness();
    await seedDemo(h.strapi);
  });

  it('invites on join, and YES records marketing_sms with the exact text’s hash and version', async () => {
    const from = nextPhoneNumber();
    const joined = await sendSms({ from, body: 'DEMO' });
    expect(joined.reply.endsWith(INVITE)).toBe(true);
    const tag = h.tag('yes');
    const fan = await h.strapi.service('api::fan.fan').findByPhone(from);
    await h.strapi.db.connection('fans').where({ id: fan.id }).update({ tags: JSON.stringify([tag]) });
    expect(await marketingCount(tag)).toBe(0);
    expect((await records(from)).map((r: { purpose: string }) => r.purpose)).not.toContain('marketing_sms');

    const yes = await sendSms({ from, body: 'yes' });
    expect(yes.reply).toBe("Thanks, you'll get news from Ovation. Reply STOP to opt out.");
    const [record] = (await records(from)).filter((r: { purpose: string }) => r.purpose === 'marketing_sms');
    const evidence = typeof record.evidence === 'string' ? JSON.parse(record.evidence) : record.evidence;
    expect(record).toMatchObject({ channel: 'sms', action: 'opt_in', source: 'sms-yes' });
    expect(evidence).toMatchObject({ text: INVITE, textSha256: crypto.createHash('sha256').update(INVITE).digest('hex'), version: 'sms-invite-v1', shownIn: joined.form.MessageSid });
    expect(JSON.stringify(evidence)).not.toContain(from);
    expect(await marketingCount(tag)).toBe(1);

    // STOP ends it, and START alone does not bring marketing back.
    await sendSms({ from, body: 'STOP' });
    await sendSms({ from, body: 'START' });
    expect(await marketingCount(tag)).toBe(0);
  });

  it('records the invitation the fan was shown, even after BRAND_NAME changed between the join and YES', async () => {
    const from = nextPhoneNumber();
    const shownIn = (await sendSms({ from, body: 'DEMO' })).form.MessageSid;
    h.strapi.config.set('plugin::sms-voting.brandName', 'Encore Live');
    try {
      const yes = await sendSms({ from, body: 'YES' });
      expect(yes.reply).toBe("Thanks, you'll get news from Encore Live. Reply STOP to opt out.");
    } finally {
      h.strapi.config.set('plugin::sms-voting.brandName', 'Ovation');
    }
    const [record] = (await records(from)).filter((r: { purpose: string }) => r.purpose === 'marketing_sms');
    const evidence = typeof record?.evidence === 'string' ? JSON.parse(record.evidence) : record?.evidence;
    expect(evidence).toMatchObject({ text: INVITE, shownIn });
  });

  it('a YES from a number never invited is only START: no marketing consent', async () => {
    const from = nextPhoneNumber();
    const yes = await sendSms({ from, body: 'YES' });
    expect(yes.reply).not.toContain('news');
    expect((await records(from)).map((r: { purpose: string }) => r.purpose)).toEqual(['all']);
  });
});
