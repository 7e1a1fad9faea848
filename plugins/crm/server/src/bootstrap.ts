import type { Core } from '@strapi/strapi';
import { CAMPAIGN_PURPOSE } from './services/campaigns';
import { fans, outbox } from './utils/cms';
import { getService } from './utils/get-service';

const ACTIONS = ['plugin::crm.read', 'plugin::crm.manage'];
const MARKETING_ROLE = 'ovation-marketing';

/** The Marketing role (cms/src/bootstrap/roles.ts) runs campaigns: it gets the CRM's permissions once. */
async function grantMarketing(strapi: Core.Strapi) {
  const role = await strapi.service('admin::role').findOne({ code: MARKETING_ROLE });
  if (!role) return;
  const held = (await strapi.db.query('admin::permission').findMany({ where: { role: role.id, action: { $in: ACTIONS } } })) as { action: string }[];
  const missing = ACTIONS.filter((action) => !held.some((permission) => permission.action === action));
  if (missing.length) await strapi.service('admin::role').addPermissions(role.id, missing.map((action) => ({ action, subject: null, properties: {}, conditions: [] })));
}

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'CRM (view segments and campaigns)', uid: 'read', pluginName: 'crm' },
    { section: 'plugins', displayName: 'CRM (edit segments, write, send, approve, pause and cancel campaigns)', uid: 'manage', pluginName: 'crm' },
  ]);
  await grantMarketing(strapi);
  // Every campaign message asks, right before it is sent, whether it still may go (services/send-gate.ts).
  outbox(strapi).gateWith(CAMPAIGN_PURPOSE, (message) => getService(strapi, 'send-gate').verdict(message));
  // Fans stored before their country was kept get it, for segments by country.
  await fans(strapi).fillCountries();
};

export default bootstrap;
