import type { Core } from '@strapi/strapi';
import { CSP_DEFAULTS } from '@strapi/utils';
import { mediaOrigins } from '../src/lib/media-storage';
import { formidableOptions, uploadLimits } from '../src/lib/upload-limits';

const config = ({ env }: Core.Config.Shared.ConfigParams) => [
  // strapi::logger's line with voting tokens and other secrets in URLs redacted, with its request id
  // (X-Request-Id), route pattern and duration; a warning line past SLOW_REQUEST_MS; /metrics timings.
  { name: 'global::request-log', config: { slowMs: env.int('SLOW_REQUEST_MS', 500), timeRequests: Boolean(env('METRICS_TOKEN', '')) } },
  'strapi::errors',
  // What strapi::errors answers with a 500 goes to Sentry when SENTRY_DSN is set.
  'global::error-reports',
  // GET /metrics for Prometheus with METRICS_TOKEN (none without it); outside the per-client budgets.
  { name: 'global::metrics', config: { token: env('METRICS_TOKEN', '') || undefined } },
  // Inside strapi::errors so a refused database write leaves in Strapi's error shape.
  'global::database-errors',
  // Redis or the database away: 503 with Retry-After rather than a 500.
  'global::outages',
  // Who is calling: a fan through the site (by the address the site saw), the site itself, or anyone.
  'global::caller',
  // Twilio's inbound SMS webhook and the site's web votes go from here straight to their routes, as
  // Strapi registered them (plugins/sms-voting middlewares/lanes.ts): none of what follows serves them.
  'plugin::sms-voting.lanes',
  // Failed admin sign-ins per address, whichever accounts they name (password spraying): 429 past it.
  'global::admin-login-limit',
  // A budget of requests a minute per client on every public route: 429 with Retry-After past it.
  {
    name: 'global::rate-limit',
    config: {
      // /_ready too: it asks PostgreSQL, Redis and S3 each time, and anyone may call it; and the
      // CRM's short links (/l/<code>), which anyone may follow or guess at.
      paths: ['/api/', '/graphql', '/_ready', '/l/'],
      // Limited by the voting plugin instead: Twilio's webhook per sending number (after its signature
      // is checked), a voting link per token and guesses at links per address, so every fan behind one
      // address (a venue's Wi-Fi) can open their link and vote. (The site's batches of votes, each
      // limited likewise, are answered from the voting lanes above and never reach this budget; anyone
      // else's batch spends it and is refused.)
      // The CRM's delivery callbacks likewise: Twilio and SendGrid post thousands a minute from a few
      // addresses; refused (unsigned, forged) ones are limited per address by the CRM.
      exempt: ['/api/sms-voting/twilio/inbound', '/api/sms-voting/votes', '/api/sms-voting/tokens/', '/api/crm/twilio/status', '/api/crm/sendgrid/events'],
      perMinute: {
        anonymous: env.int('RATE_LIMIT_ANONYMOUS_PER_MINUTE', 300),
        fan: env.int('RATE_LIMIT_FAN_PER_MINUTE', 600),
        site: env.int('RATE_LIMIT_SITE_PER_MINUTE', 6000),
        credential: env.int('RATE_LIMIT_CREDENTIAL_PER_MINUTE', 1200),
        // Content-API tokens have budgets of their own: plugins/ops (RATE_LIMIT_TOKEN_PER_MINUTE in config/plugins.ts).
      },
    },
  },
  // Strapi's security headers (helmet), from one helmet per kind of request instead of one per request
  // (src/lib/security-headers.ts, put in its place by src/index.ts). The admin's Media Library shows
  // files from the bucket or its CDN when uploads are in S3.
  {
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        directives: {
          'img-src': [...CSP_DEFAULTS['img-src'], ...mediaOrigins()],
          'media-src': [...CSP_DEFAULTS['media-src'], ...mediaOrigins()],
        },
      },
    },
  },
  {
    name: 'strapi::cors',
    config: {
      origin: env.array('CORS_ORIGINS', ['http://localhost:4321', 'http://localhost:1337']),
    },
  },
  'strapi::query',
  // A multipart body is read only when its route takes one and lets the caller in (else 401, 403 or
  // 415, unread), and within the UPLOAD_* caps (413).
  { name: 'global::multipart-gate', config: uploadLimits() },
  // includeUnparsed: the bytes of a JSON body stay beside it, for signatures over them (SendGrid's
  // Event Webhook, plugins/crm policies/sendgrid-signature.ts).
  { name: 'strapi::body', config: { formidable: formidableOptions(), includeUnparsed: true } },
  // Ovation's password policy on the admin's password routes, before Strapi's handlers (which sign
  // the admin out before saving a new password).
  'global::password-policy',
  // 3 admin password-reset requests an hour per email and per address (429 past either).
  'global::forgot-password-limit',
  // Before Apollo: a body over the limit is a 413; a query too big, with too many aliases or a
  // fragment cycle is a 400.
  {
    name: 'global::graphql-limits',
    config: {
      maxBodyBytes: env.int('GRAPHQL_MAX_BODY_BYTES', 100_000),
      maxQueryBytes: env.int('GRAPHQL_MAX_QUERY_BYTES', 20_000),
      maxAliases: env.int('GRAPHQL_MAX_ALIASES', 20),
      maxBatch: env.int('GRAPHQL_MAX_BATCH', 5),
    },
  },
  'strapi::session',
  // Ovation's mark (cms/favicon.ico, from src/admin/extensions/ovation-mark.svg) at /favicon.ico.
  { name: 'strapi::favicon', config: { path: 'favicon.ico' } },
  'strapi::public',
  // Hot public reads from Redis, per URL and caller, until the next committed write to their types.
  {
    name: 'global::content-cache',
    config: {
      paths: ['/api/events', '/api/rounds', '/api/lineup-entries', '/api/artists', '/api/posts'],
      ttlSeconds: env.int('CONTENT_CACHE_SECONDS', 30),
      versionMs: 250,
    },
  },
];

export default config;
