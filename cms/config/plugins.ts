import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { graphqlLimitsRule } from '../src/lib/graphql-limits';
import { uploadProviderConfig } from '../src/lib/media-storage';
import { sessionLifespans } from '../src/lib/accounts/sessions';
import { secrets } from '../src/lib/secrets';
import { uploadLimits } from '../src/lib/upload-limits';

/**
 * The audit trail is always on in production. Elsewhere AUDIT_TRAIL_ENABLED=false turns it off, for
 * the baseline of `npm run bench -- audit` (what the trail costs a write is measured against it).
 */
function auditTrailEnabled(env: Core.Config.Shared.ConfigParams['env']) {
  if (env.bool('AUDIT_TRAIL_ENABLED', true)) return true;
  if (env('NODE_ENV') === 'production') throw new Error('AUDIT_TRAIL_ENABLED=false: the audit trail cannot be turned off in production');
  return false;
}

/** A key of its own for one use, so one leaked derived key reveals nothing of the app key. */
const derivedKey = (appKey: string, purpose: string) => crypto.createHmac('sha256', appKey).update(purpose).digest('base64url');

const config = ({ env }: Core.Config.Shared.ConfigParams) => ({
  'users-permissions': {
    config: {
      jwtSecret: secrets().JWT_SECRET,
      // Sessions with short access tokens and refresh tokens, revocable (src/bootstrap/session-rules.ts).
      jwtManagement: 'refresh',
      sessions: { ...sessionLifespans(), httpOnly: false },
    },
  },
  graphql: {
    // Workers load the app for its services and serve no HTTP: no schema to build (some 10 MB of heap).
    enabled: env('OVATION_PROCESS') !== 'worker',
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      // Guards against abusive queries from the public endpoint.
      depthLimit: env.int('GRAPHQL_DEPTH_LIMIT', 7),
      defaultLimit: 25,
      maxLimit: 100,
      landingPage: env('NODE_ENV') !== 'production',
      apolloServer: {
        introspection: env('NODE_ENV') !== 'production',
        // Several operations in one request (a JSON array), at most GRAPHQL_MAX_BATCH (global::graphql-limits).
        allowBatchedHttpRequests: true,
        // Depth and cost; size, aliases and fragment cycles are refused earlier (global::graphql-limits).
        validationRules: [
          graphqlLimitsRule({
            maxDepth: env.int('GRAPHQL_DEPTH_LIMIT', 7),
            maxCost: env.int('GRAPHQL_MAX_COST', 20_000),
            defaultListSize: 25,
            maxListSize: 100,
          }),
        ],
      },
    },
  },
  // The durable job queue every other part enqueues through, and the admin's Jobs page.
  ops: {
    enabled: true,
    resolve: '../plugins/ops',
    config: {
      // A content-API token's requests a minute unless it has a budget of its own (Settings › API token budgets).
      tokenPerMinute: env.int('RATE_LIMIT_TOKEN_PER_MINUTE', 600),
    },
  },
  'sms-voting': {
    enabled: true,
    resolve: '../plugins/sms-voting',
  },
  // Artists claim their profile from an invitation, propose changes editors publish, read their
  // results (plugins/artist-portal). Claim links are signed with a key derived from the app's first key.
  'artist-portal': {
    enabled: true,
    resolve: '../plugins/artist-portal',
    config: { signingKey: derivedKey(secrets().APP_KEYS.split(',')[0], 'artist-portal claim links') },
  },
  // Authenticator-app codes and recovery codes after the password (plugins/two-factor). The TOTP
  // secrets are sealed under a key derived from PII_ENCRYPTION_KEY; addresses are counted in Redis
  // under a hash keyed with the app's first key.
  'two-factor': {
    enabled: true,
    resolve: '../plugins/two-factor',
    config: {
      encryptionKey: secrets().PII_ENCRYPTION_KEY,
      addressKey: secrets().APP_KEYS.split(',')[0],
      // Admins of these roles enrol right after their password; Super Admins by default in production.
      requiredRoles: env.array('TWO_FACTOR_REQUIRED_ROLES', env('NODE_ENV') === 'production' ? ['strapi-super-admin'] : []).filter(Boolean),
    },
  },
  // Every content write, in its own transaction, on an append-only hash chain (npm run audit:verify),
  // with hourly signed checkpoints and a retention purge (the workers' audit.checkpoint and audit.purge).
  'audit-trail': {
    enabled: auditTrailEnabled(env),
    resolve: '../plugins/audit-trail',
    config: {
      signingKey: secrets().AUDIT_SIGNING_KEY,
      retiredKeys: env('AUDIT_SIGNING_KEYS_RETIRED', ''),
      retentionDays: env.int('AUDIT_RETENTION_DAYS', 365),
    },
  },
  // Partners' webhook subscriptions, signed deliveries with retries (the workers' webhook.deliver), the delivery log.
  webhooks: {
    enabled: true,
    resolve: '../plugins/webhooks',
  },
  // Marketing: segments of consenting fans, SMS and email campaigns with quiet hours (the workers' campaign.fanout).
  crm: {
    enabled: true,
    resolve: '../plugins/crm',
    // Unsubscribe and email-confirmation links are signed with a key derived from the app's first key.
    config: { signingKey: derivedKey(secrets().APP_KEYS.split(',')[0], 'crm email links') },
  },
  // Each file, multipart or fetched from a URL (the body's own caps: global::multipart-gate).
  // With S3_BUCKET the files go to S3 (src/lib/media-storage.ts), else to public/uploads.
  upload: {
    config: {
      ...uploadProviderConfig(),
      sizeLimit: uploadLimits().maxFileBytes,
    },
  },
  i18n: {
    config: {
      defaultLocale: 'en',
    },
  },
});

export default config;
