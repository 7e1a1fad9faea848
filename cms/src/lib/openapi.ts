import { generate } from '@strapi/openapi';
import type { Core } from '@strapi/strapi';
import { z } from 'zod/v4';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOADS, type WebhookEventType } from '@ovation/workers/webhooks';

type Json = Record<string, unknown>;
type Operation = Json & { parameters?: Json[] };
type Document = Json & { info: Json; paths: Record<string, Record<string, Operation>>; components: Json & { schemas?: Json; securitySchemes?: Json } };

/** The document's address under the content API (`/api/openapi.json`). */
export const OPENAPI_PATH = '/openapi.json';

/**
 * Content-API routes of Strapi's own plugins that are not part of Ovation's published surface: the
 * email plugin's send route, the Content-Type Builder's schema reads, role and permission management
 * and the OAuth redirects. No API token or role is given them; the document leaves them out too.
 */
const UNPUBLISHED_PREFIXES = [
  '/email',
  '/content-type-builder',
  '/users-permissions',
  '/connect',
  // Marketing email's sign-up and its links' pages (plugins/crm): for the site and fans' mail, not partners.
  '/crm/email',
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Routes that answer 201 (the generator files every declared response under 200). */
const CREATED: Record<string, string> = { '/sms-voting/votes': 'post' };

/**
 * The OpenAPI 3.1 document of the public and partner API: Strapi's generator (`@strapi/openapi`,
 * which reads the routes' `request` and `response` schemas) for the paths, then Ovation's own parts:
 * the path parameters the generator leaves undeclared, how to authenticate, and the `webhooks`
 * section from the payload schemas the cms emits with. Served at /api/openapi.json and checked in as
 * docs/openapi.json (`npm run openapi`); a test fails when the two differ.
 */
export function buildOpenApiDocument(strapi: Core.Strapi): Document {
  const document = generate(strapi, { type: 'content-api' }).document as unknown as Document;
  const { version } = strapi.config.get('info') as { version: string };
  const paths = Object.fromEntries(
    Object.entries(document.paths)
      .filter(([path]) => !UNPUBLISHED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)))
      .map(([path, item]) => [path, markCreated(path, declarePathParameters(path, item))])
  );
  const schemas = { ...(document.components.schemas ?? {}) };
  correctGeneratorSlips(paths);
  correctGeneratorSlips(schemas);
  return {
    openapi: document.openapi,
    info: {
      title: 'Ovation API',
      version,
      description: [
        "Ovation's content (events, rounds, lineups, artists, posts), live voting and partner API, and the webhooks it sends.",
        'Authenticate with an API token from the admin (Settings › API Tokens) as `Authorization: Bearer <token>`; published content is also readable without one.',
        'Every response carries `RateLimit-Policy` and `RateLimit` headers; past the budget the answer is 429 with `Retry-After`. Errors have Strapi\'s shape: `{ data: null, error: { status, name, message, details } }`.',
      ].join('\n\n'),
    },
    servers: [{ url: '/api', description: 'The cms this document was read from' }],
    security: document.security,
    tags: document.tags,
    paths,
    webhooks: webhooksSection(schemas),
    components: {
      ...document.components,
      schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token made in the admin, or a users-permissions JWT' },
      },
    },
  };
}

/**
 * Two slips of Strapi's generator, corrected in every schema: each `publishedAt` gets the moment of
 * generation as its default (meaningless to a client, and a document that changes each time it is
 * made cannot be checked in), and document ids (fields, relations, `{id}` in paths) are said to be
 * UUIDs, which they are not: a client that checks formats would refuse every real one. Ovation has
 * no UUID anywhere, so the format goes wherever it appears.
 */
function correctGeneratorSlips(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(correctGeneratorSlips);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.format === 'uuid') delete schema.format;
  if (schema.description === 'The document ID, represented by a UUID') schema.description = "The document's id, the same in every locale and version";
  const publishedAt = schema.publishedAt as Json | undefined;
  if (publishedAt && typeof publishedAt === 'object' && 'default' in publishedAt) delete publishedAt.default;
  Object.values(node).forEach(correctGeneratorSlips);
}

/** `{slug}` in a path is a required string parameter unless the route declared it (`request.params`). */
function declarePathParameters(path: string, item: Record<string, Operation>) {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  if (names.length === 0) return item;
  return Object.fromEntries(
    Object.entries(item).map(([method, operation]) => {
      if (!(METHODS as readonly string[]).includes(method)) return [method, operation];
      const declared = new Set((operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name));
      const missing = names.filter((name) => !declared.has(name)).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
      return [method, { ...operation, parameters: [...missing, ...(operation.parameters ?? [])] }];
    })
  );
}

function markCreated(path: string, item: Record<string, Operation>) {
  const method = CREATED[path];
  const operation = method ? item[method] : undefined;
  const responses = operation?.responses as Record<string, Json> | undefined;
  if (!operation || !responses?.['200']) return item;
  const { '200': ok, ...others } = responses;
  return { ...item, [method]: { ...operation, responses: { '201': { ...ok, description: 'Created' }, ...others } } };
}

const WEBHOOK_HEADERS = [
  { name: 'webhook-id', description: 'The event\'s id: the same on every retry and redelivery (use it to drop duplicates)' },
  { name: 'webhook-timestamp', description: 'Seconds since the epoch when this attempt was signed' },
  { name: 'webhook-signature', description: '`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the subscription\'s secret; space-separated when a rotated secret still signs too' },
].map((header) => ({ ...header, in: 'header', required: true, schema: { type: 'string' } }));

/**
 * One entry per event type (OpenAPI 3.1's `webhooks`): what Ovation POSTs to a subscription's URL,
 * signed per the Standard Webhooks specification. Each payload schema becomes a named component.
 */
function webhooksSection(schemas: Json) {
  const section: Record<string, unknown> = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    const name = payloadComponent(type, schemas);
    section[type] = {
      post: {
        operationId: `webhook/${type}`,
        summary: `${type}`,
        tags: ['webhooks'],
        parameters: WEBHOOK_HEADERS,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  type: { const: type },
                  timestamp: { type: 'string', format: 'date-time' },
                  data: { $ref: `#/components/schemas/${name}` },
                },
                required: ['type', 'timestamp', 'data'],
              },
            },
          },
        },
        responses: {
          '2XX': { description: 'Received. Anything else (a redirect too) is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, honouring Retry-After' },
          '410': { description: 'Gone: the subscription is disabled at once' },
        },
      },
    };
  }
  return section;
}

function payloadComponent(type: WebhookEventType, schemas: Json) {
  const { id, $schema: _dialect, ...schema } = z.toJSONSchema(WEBHOOK_PAYLOADS[type], { target: 'draft-2020-12' }) as Json & { id?: string };
  const name = typeof id === 'string' ? id : `Webhook_${type.replace('.', '_')}`;
  schemas[name] = schema;
  return name;
}
