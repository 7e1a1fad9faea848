import type { Core } from '@strapi/strapi';
import { surviveOutages } from '@ovation/workers/jobs';
import { configureContentManager } from './bootstrap/content-manager';
import { registerDocumentRules } from './bootstrap/document-rules';
import { provisionEditorRole } from './bootstrap/editor-role';
import { resolveProgrammeInGraphQL } from './bootstrap/graphql-programme';
import { grantPublicPermissions } from './bootstrap/permissions';
import { hidePersonalData } from './bootstrap/personal-data';
import { holdPublicReadsToPublished, refuseDraftsInGraphQL } from './bootstrap/published-reads';
import { keepReadOnlyInAdmin } from './bootstrap/read-only-in-admin';
import { registerReadiness } from './bootstrap/readiness';
import { asScript } from './lib/audit';
import { installConstraints } from './lib/constraints';
import { closeSharedRedis, sharedRedis } from './lib/redis';
import { isDatabaseEmpty, printSeedReport, seedDemo } from './seed';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    surviveOutages((message) => strapi.log.warn(message));
    registerDocumentRules(strapi);
    hidePersonalData(strapi);
    keepReadOnlyInAdmin(strapi);
    refuseDraftsInGraphQL(strapi);
    resolveProgrammeInGraphQL(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await installConstraints(strapi);
    holdPublicReadsToPublished(strapi);
    await grantPublicPermissions(strapi);
    await provisionEditorRole(strapi);
    await configureContentManager(strapi);
    registerReadiness(strapi, sharedRedis());

    // `npm run dev` asks for the demo on a fresh database; production never seeds on its own.
    if (process.env.OVATION_SEED_ON_EMPTY === 'true' && (await isDatabaseEmpty(strapi))) {
      printSeedReport(await asScript(strapi, 'seed', () => seedDemo(strapi)), (line) => strapi.log.info(line));
    }
  },

  async destroy() {
    closeSharedRedis();
  },
};
