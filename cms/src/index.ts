import type { Core } from '@strapi/strapi';
import { flushErrorTracking, initErrorTracking, metrics, surviveOutages } from '@ovation/workers/jobs';
import { enforcePasswordPolicy } from './bootstrap/account-rules';
import { hashAdminResetCodes } from './bootstrap/admin-reset-codes';
import { applySessionRules, listAdminSessionsWithAddress } from './bootstrap/session-rules';
import { configureContentManager } from './bootstrap/content-manager';
import { registerDocumentRules } from './bootstrap/document-rules';
import { registerContentCacheInvalidation } from './middlewares/content-cache';
import { provisionEditorRole } from './bootstrap/editor-role';
import { resolveProgrammeInGraphQL } from './bootstrap/graphql-programme';
import { grantPublicPermissions } from './bootstrap/permissions';
import { hidePersonalData } from './bootstrap/personal-data';
import { holdPublicReadsToPublished, refuseDraftsInGraphQL } from './bootstrap/published-reads';
import { keepReadOnlyInAdmin } from './bootstrap/read-only-in-admin';
import { registerReadiness } from './bootstrap/readiness';
import securityHeaders from './lib/security-headers';
import { provisionRoles } from './bootstrap/roles';
import { sendEmailsThroughOutbox } from './lib/accounts/outbox-email';
import { asScript } from './lib/audit';
import { installConstraints } from './lib/constraints';
import { closeSharedRedis, sharedRedis } from './lib/redis';
import { isDatabaseEmpty, printSeedReport, seedDemo } from './seed';

/** What /metrics asks at scrape time: the database pool, a database round trip, a Redis round trip. */
function connectMetrics(strapi: Core.Strapi) {
  metrics.setMetricSources({
    ...metrics.databaseSources(strapi.db.connection),
    pingRedis: async () => void (await sharedRedis().ping()),
  });
}

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // SENTRY_DSN set: errors go to Sentry, scrubbed (a worker process has already started it as its own).
    initErrorTracking('cms', { release: `ovation-cms@${require('../../package.json').version}` });
    surviveOutages((message) => strapi.log.warn(message));
    registerDocumentRules(strapi);
    registerContentCacheInvalidation(strapi);
    hidePersonalData(strapi);
    keepReadOnlyInAdmin(strapi);
    refuseDraftsInGraphQL(strapi);
    resolveProgrammeInGraphQL(strapi);
    listAdminSessionsWithAddress(strapi);
    // Strapi's security headers, from one helmet per kind of request (`strapi::security` keeps its
    // name, which Strapi requires, and its configuration in config/middlewares.ts).
    strapi.get('middlewares').extend('strapi::security', () => securityHeaders);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await installConstraints(strapi);
    holdPublicReadsToPublished(strapi);
    // Roles first: each signed-in role is then given what the public reads.
    await provisionRoles(strapi);
    await grantPublicPermissions(strapi);
    await provisionEditorRole(strapi);
    enforcePasswordPolicy(strapi);
    hashAdminResetCodes(strapi);
    applySessionRules(strapi);
    // Strapi's emails (reset codes, confirmations, admin invitations) go out through the outbox.
    sendEmailsThroughOutbox(strapi);
    await configureContentManager(strapi);
    registerReadiness(strapi, sharedRedis());
    connectMetrics(strapi);

    // `npm run dev` asks for the demo on a fresh database; production never seeds on its own.
    if (process.env.OVATION_SEED_ON_EMPTY === 'true' && (await isDatabaseEmpty(strapi))) {
      printSeedReport(await asScript(strapi, 'seed', () => seedDemo(strapi)), (line) => strapi.log.info(line));
    }
  },

  async destroy() {
    closeSharedRedis();
    // Error reports still queued leave before the process does.
    await flushErrorTracking();
  },
};
