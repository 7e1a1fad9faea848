import type { Core } from '@strapi/strapi';
import { CAMPAIGN_PURPOSE } from './campaigns/keys';
import { CONFIRMATION_PURPOSE } from './services/email-signups';
import { TEST_SEND_PURPOSE } from './services/test-sends';
import { fans, outbox } from './utils/cms';
import { installTrackingTables } from './tracking/schema';
import { installCampaignChecks } from './campaigns/schema';
import { registerShortLinkRoute } from './tracking/follow-route';
import { getService } from './utils/get-service';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  // The Marketing role gets both (cms/src/bootstrap/roles.ts).
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'CRM (view segments and campaigns)', uid: 'read', pluginName: 'crm' },
    { section: 'plugins', displayName: 'CRM (edit segments, write, send, approve, pause and cancel campaigns; erase a fan)', uid: 'manage', pluginName: 'crm' },
    // Given to nobody by default (a super admin has every permission): an administrator grants them.
    { section: 'plugins', displayName: 'CRM (see fans’ phone numbers and emails in clear; each reveal is audited)', uid: 'reveal-contact', pluginName: 'crm' },
    { section: 'plugins', displayName: 'CRM (export a fan, and attendees, votes and messages; audited)', uid: 'export', pluginName: 'crm' },
  ]);
  // Short links, clicks and delivery reports: tables of their own beside the outbox, and GET /l/:code.
  await installTrackingTables(strapi.db.connection);
  // A campaign's templates as the list and the fan-out read them, held by the database (campaigns/schema.ts).
  await installCampaignChecks(strapi.db.connection, strapi.db.dialect.client);
  registerShortLinkRoute(strapi);
  // Every campaign message asks, right before it is sent, whether it still may go (services/send-gate.ts).
  outbox(strapi).gateWith(CAMPAIGN_PURPOSE, (message) => getService(strapi, 'send-gate').verdict(message));
  // Each campaign email (and its test) gets its recipient's own unsubscribe link and List-Unsubscribe headers as it is sent.
  for (const purpose of [CAMPAIGN_PURPOSE, TEST_SEND_PURPOSE]) outbox(strapi).dressWith(purpose, (message) => getService(strapi, 'unsubscribe').dress(message));
  // Confirmation emails are stored with their link masked; it is remade from the sign-up for each attempt.
  outbox(strapi).fillSecretsWith(CONFIRMATION_PURPOSE, (message) => getService(strapi, 'email-signups').fillLink(message));
  // Fans stored before their country was kept get it, for segments by country: in the background,
  // so a large table never holds up a start.
  fans(strapi)
    .fillCountries()
    .catch((error) => strapi.log.warn(`crm: filling in fans' countries failed: ${error}`));
};

export default bootstrap;
