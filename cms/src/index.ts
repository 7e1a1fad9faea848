import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';
import { surviveOutages } from '@ovation/workers/jobs';
import { configureContentManager } from './bootstrap/content-manager';
import { registerDocumentRules } from './bootstrap/document-rules';
import { grantPublicPermissions } from './bootstrap/permissions';
import { keepReadOnlyInAdmin } from './bootstrap/read-only-in-admin';
import { registerReadiness } from './bootstrap/readiness';
import { installConstraints } from './lib/constraints';
import { PUBLISHABLE, PUBLISHED_ONLY } from './lib/draft-and-publish';
import { connectRedis } from './lib/redis';
import { isDatabaseEmpty, printSeedReport, seedDemo } from './seed';

/** Personal and internal types stay out of the GraphQL schema altogether. */
const HIDDEN_FROM_GRAPHQL = ['api::fan.fan', 'api::consent-record.consent-record', 'api::message.message'] as const;

let redis: Redis | undefined;

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    surviveOutages((message) => strapi.log.warn(message));
    registerDocumentRules(strapi);
    keepReadOnlyInAdmin(strapi);
    const extension = strapi.plugin('graphql')?.service('extension');
    for (const uid of HIDDEN_FROM_GRAPHQL) extension?.shadowCRUD(uid).disable();
    const queries = PUBLISHABLE.flatMap((uid) => {
      const { singularName, pluralName } = strapi.contentType(uid).info;
      return [`Query.${singularName}`, `Query.${pluralName}`];
    });
    extension?.use({ resolversConfig: Object.fromEntries(queries.map((query) => [query, PUBLISHED_ONLY])) });
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await installConstraints(strapi);
    await grantPublicPermissions(strapi);
    await configureContentManager(strapi);
    redis = connectRedis(undefined, (message) => strapi.log.warn(message));
    registerReadiness(strapi, redis);

    // `npm run dev` asks for the demo on a fresh database; production never seeds on its own.
    if (process.env.OVATION_SEED_ON_EMPTY === 'true' && (await isDatabaseEmpty(strapi))) {
      printSeedReport(await seedDemo(strapi), (line) => strapi.log.info(line));
    }
  },

  async destroy() {
    redis?.disconnect();
    redis = undefined;
  },
};
