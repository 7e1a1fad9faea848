import type { Core } from '@strapi/strapi';
import { ROLES, adminToken, createAdminUser, type AdminUser } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import type { Rule } from '../../../shared/contracts/crm';

const RUN = Date.now().toString(36);
let sequence = 0;
const next = () => (sequence += 1);
export const MARKETING_ROLE = 'ovation-marketing';

/** Numbers no other fan of this run has, from regions with a known time zone. */
export const numbers = {
  /** New York (+1 212). */
  newYork: () => `+1212${String(2_000_000 + ((Date.now() % 1_000_000) * 7 + next()) % 7_000_000).padStart(7, '0')}`,
  /** Los Angeles (+1 213). */
  losAngeles: () => `+1213${String(2_000_000 + ((Date.now() % 1_000_000) * 7 + next()) % 7_000_000).padStart(7, '0')}`,
  /** Madrid (a Spanish mobile). */
  spain: () => `+346${String(((Date.now() % 1_000_000) * 13 + next()) % 100_000_000).padStart(8, '0')}`,
  /** Mexico City: Mexico has several zones, so its numbers say none. */
  mexico: () => `+5255${String(((Date.now() % 1_000_000) * 11 + next()) % 100_000_000).padStart(8, '0')}`,
};

type Consent = { purpose: string; action: 'opt_in' | 'opt_out'; channel?: 'sms' | 'email' };

/**
 * What the CRM tests share: the real app, admin sessions (a Marketing user, a second one, an
 * Editor), the admin API, and fans made the way the platform makes them (the fan service, the
 * consent ledger), each tagged with a tag of the test's own so segments select only them.
 */
export async function crmHarness() {
  const strapi: Core.Strapi = await bootStrapi();
  const session = async (role: string) => {
    const user = await createAdminUser(strapi, role);
    return { user, auth: { Authorization: `Bearer ${await adminToken(user)}` } };
  };
  const marketing = await session(MARKETING_ROLE);
  const api = (auth: Record<string, string>) => ({
    get: async (path: string) => (await http()).get(`/crm${path}`).set(auth),
    post: async (path: string, body?: object) => (await http()).post(`/crm${path}`).set(auth).send(body ?? {}),
    put: async (path: string, body: object) => (await http()).put(`/crm${path}`).set(auth).send(body),
    delete: async (path: string) => (await http()).delete(`/crm${path}`).set(auth),
  });
  const consent = (identifier: string, entry: Consent) =>
    strapi.service('api::consent-record.consent-record').record({ identifier, channel: entry.channel ?? 'sms', purpose: entry.purpose, action: entry.action, source: 'test' });

  return {
    strapi,
    marketing,
    api: api(marketing.auth),
    apiAs: api,
    session,
    consent,
    /** A tag no other test uses. */
    tag: (name: string) => `${name}-${RUN}-${next()}`,
    /** A fan with this number, language and tags, and these consent records in order. */
    async fan({ phone, language = 'en', tags = [], consents = [] }: { phone: string; language?: 'en' | 'es'; tags?: string[]; consents?: Consent[] }) {
      const fan = await strapi.service('api::fan.fan').upsertByPhone(phone, { language });
      await strapi.db.connection('fans').where({ id: fan.id }).update({ tags: JSON.stringify(tags) });
      for (const entry of consents) await consent(phone, entry);
      return { ...fan, phone };
    },
    byTag: (tag: string): Rule => ({ field: 'tags', op: 'any', value: [tag] }),
    async segment(rules: Rule, as = marketing.auth) {
      const response = await api(as).post('/segments', { name: `Segment ${next()}`, rules });
      if (response.status !== 201) throw new Error(`segment: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.data as { id: number };
    },
    async campaign(body: Record<string, unknown>, as = marketing.auth) {
      const response = await api(as).post('/campaigns', { name: `Campaign ${next()}`, channel: 'sms', templates: { en: { body: 'The finale is next Friday' } }, ...body });
      if (response.status !== 201) throw new Error(`campaign: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.data as { id: number };
    },
    messages: (campaignId: number) => strapi.db.connection('messages').where({ topic: `campaign:${campaignId}` }).orderBy('id'),
    sendJob: (messageKey: string) => strapi.db.connection('ops_jobs').where({ idempotency_key: `message.send:${messageKey}` }).first(),
    ROLES,
  };
}

export type CrmHarness = Awaited<ReturnType<typeof crmHarness>>;
export type { AdminUser };
