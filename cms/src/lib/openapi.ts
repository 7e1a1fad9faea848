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
const UNPUBLISHED_PREFIXES = ['/email', '/content-type-builder', '/users-permissions', '/connect'];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Routes of Ovation's plugins that answer other than 200 (the generator files every declared response
 * under 200): a vote is created (201); a sign-up's confirmation email is queued (202).
 */
const SUCCESS_STATUS: Record<string, { method: string; status: '201' | '202' }> = {
  '/sms-voting/votes': { method: 'post', status: '201' },
  '/crm/email/subscriptions': { method: 'post', status: '202' },
};
const STATUS_DESCRIPTIONS = { '201': 'Created', '202': 'Accepted' } as const;

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
      .map(([path, item]) => [path, markSuccessStatus(path, declarePathParameters(path, item))])
  );
  const schemas = { ...(document.components.schemas ?? {}) };
  correctGeneratorSlips(paths);
  correctGeneratorSlips(schemas);
  describeCoreAnswers(strapi, paths, schemas);
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
 * UUIDs (by format and by pattern), which they are not: a client that checks formats would refuse
 * every real one. Ovation has no UUID anywhere, so the format and the pattern go wherever they appear.
 */
function correctGeneratorSlips(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(correctGeneratorSlips);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.format === 'uuid') delete schema.format;
  if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-')) delete schema.pattern;
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

/**
 * What Strapi's core content-type routes really answer, which the generator describes loosely: a
 * list's `meta.pagination` (by page, or by start and limit when asked so), the `meta` of every other
 * answer, null for every field left unset (the generator types a field as if always filled), the
 * `id` Strapi adds to each component entry, 201 for a create and 204 without a body for a delete.
 * A client that validates answers against the document accepts every real one (tested).
 */
function describeCoreAnswers(strapi: Core.Strapi, paths: Record<string, Record<string, Operation>>, schemas: Json) {
  for (const [uid, component] of Object.entries(strapi.components)) {
    const schema = schemas[schemaName(uid, 'Entry')] as Json | undefined;
    if (!schema?.properties) continue;
    (schema.properties as Json).id = { type: 'integer' };
    allowUnsetAsNull(schema, component.attributes);
  }
  for (const contentType of Object.values(strapi.contentTypes)) {
    const schema = schemas[schemaName(contentType.uid, 'Document')] as Json | undefined;
    if (schema) allowUnsetAsNull(schema, contentType.attributes);
    if (!contentType.uid.startsWith('api::') || contentType.kind !== 'collectionType') continue;
    const list = paths[`/${contentType.info.pluralName}`];
    const single = paths[`/${contentType.info.pluralName}/{id}`];
    const { attributes } = contentType;
    if (list?.get) envelope(list.get, '200', attributes, { meta: PAGINATION_META, required: true });
    if (list?.post) envelope(renameAnswer(list.post, '200', '201', 'Created'), '201', attributes, { meta: { type: 'object' } });
    if (single?.get) envelope(single.get, '200', attributes, { meta: { type: 'object' }, required: true });
    if (single?.put) envelope(single.put, '200', attributes, { meta: { type: 'object' } });
    if (single?.delete) {
      const responses = single.delete.responses as Record<string, Json>;
      const { '200': _deleted, ...others } = responses;
      single.delete.responses = { '204': { description: 'Deleted' }, ...others };
    }
  }
}

const PAGINATION_META = {
  type: 'object',
  properties: {
    pagination: {
      anyOf: [
        {
          type: 'object',
          description: 'Asked by page (`pagination[page]`, `pagination[pageSize]`), the default',
          properties: { page: { type: 'integer' }, pageSize: { type: 'integer' }, pageCount: { type: 'integer' }, total: { type: 'integer' } },
          required: ['page', 'pageSize', 'pageCount', 'total'],
        },
        {
          type: 'object',
          description: 'Asked by offset (`pagination[start]`, `pagination[limit]`)',
          properties: { start: { type: 'integer' }, limit: { type: 'integer' }, total: { type: 'integer' } },
          required: ['start', 'limit', 'total'],
        },
      ],
    },
  },
  required: ['pagination'],
};

/** Strapi's names for schemas: `artist.link` → `ArtistLinkEntry`, `api::post.post` → `ApiPostPostDocument`. */
const schemaName = (uid: string, suffix: 'Entry' | 'Document') =>
  `${uid
    .split(/[.:-]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}${suffix}`;

/** The fields Strapi fills in on every entry, whatever the schema says. */
const ALWAYS_SET = new Set(['documentId', 'id', 'publishedAt', 'createdAt', 'updatedAt', 'locale']);

/**
 * An entry's fields as answered: the ones the schema does not require may be null (Strapi answers
 * null for a field left unset; the generator also requires blocks fields), in it and the objects it holds.
 */
function allowUnsetAsNull(schema: Json, attributes?: Record<string, { required?: boolean }>) {
  const properties = schema.properties as Record<string, Json> | undefined;
  if (!properties) return;
  const required = ((schema.required as string[] | undefined) ?? []).filter((name) => !attributes?.[name] || ALWAYS_SET.has(name) || attributes[name].required === true);
  if (schema.required) schema.required = required;
  for (const [name, property] of Object.entries(properties)) {
    if (required.includes(name) || acceptsNull(property)) continue;
    if (typeof property.type === 'string') property.type = [property.type, 'null'];
    else properties[name] = { anyOf: [property, { type: 'null' }] };
  }
}

const acceptsNull = (schema: Json): boolean =>
  (Array.isArray(schema.type) && schema.type.includes('null')) || (Array.isArray(schema.anyOf) && (schema.anyOf as Json[]).some(acceptsNull)) || schema.type === 'null';

/** Adds `meta` to the answer's body and lets its entries' unset fields be null. */
function envelope(operation: Operation, status: string, attributes: Record<string, { required?: boolean }>, { meta, required = false }: { meta: Json; required?: boolean }) {
  const schema = ((operation.responses as Record<string, Json>)[status]?.content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema;
  if (!schema?.properties) return;
  const data = (schema.properties as Record<string, Json>).data;
  if (data) allowUnsetAsNull(data.type === 'array' ? (data.items as Json) : data, attributes);
  (schema.properties as Json).meta = meta;
  if (required) schema.required = [...((schema.required as string[] | undefined) ?? []), 'meta'];
}

function renameAnswer(operation: Operation, from: string, to: string, description: string): Operation {
  const { [from]: answer, ...others } = operation.responses as Record<string, Json>;
  if (answer) operation.responses = { [to]: { ...answer, description }, ...others };
  return operation;
}

function markSuccessStatus(path: string, item: Record<string, Operation>) {
  const answer = SUCCESS_STATUS[path];
  if (!answer || !item[answer.method]) return item;
  return { ...item, [answer.method]: renameAnswer({ ...item[answer.method] }, '200', answer.status, STATUS_DESCRIPTIONS[answer.status]) };
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
