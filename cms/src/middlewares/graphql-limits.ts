import createError from 'http-errors';
import type { IncomingMessage } from 'http';
import { errors } from '@strapi/utils';
import { screenGraphqlQuery, type GraphqlScreen } from '../lib/graphql-limits';

type Ctx = {
  path: string;
  method: string;
  query: Record<string, unknown>;
  req: IncomingMessage;
  request: { body?: unknown; is(type: string): string | false | null; length?: number };
};

type Config = Partial<GraphqlScreen> & { maxBodyBytes?: number; maxBatch?: number; endpoint?: string };

/** The JSON body, read up to `limit` bytes: a longer one is a 413 before it is all in memory. */
async function readJson(ctx: Ctx, limit: number): Promise<unknown> {
  if ((ctx.request.length ?? 0) > limit) throw createError(413, `The request body is over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw createError(413, `The request body is over ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new errors.ValidationError('The request body is not JSON');
  }
}

/** The query texts of a request: one, or each operation of a batch (a JSON array of them). */
function queriesOf(body: unknown, query: Record<string, unknown>, maxBatch: number): string[] {
  if (Array.isArray(body)) {
    if (body.length === 0) throw new errors.ValidationError('An empty batch: send at least one operation');
    if (body.length > maxBatch) throw new errors.ValidationError(`A batch may hold at most ${maxBatch} operations; this one has ${body.length}`);
    return body.map((operation) => (operation as { query?: unknown } | null)?.query).filter((text): text is string => typeof text === 'string');
  }
  const text = (body as { query?: unknown } | undefined)?.query ?? query.query;
  return typeof text === 'string' ? [text] : [];
}

/**
 * Refuses an oversized GraphQL request, a batch of more than a few operations, an alias bomb or a
 * fragment cycle with a 4xx that says why, before Apollo parses and validates it (validating a
 * thousand aliases alone takes a tenth of a second); each operation of a batch is screened and then
 * validated (depth, cost) on its own. strapi::body leaves the GraphQL endpoint's body alone, so it
 * is read here, within a size limit, and handed on parsed (the plugin's own body parser keeps it).
 */
const graphqlLimits = (config: Config) => {
  const limits: GraphqlScreen = { maxQueryBytes: config.maxQueryBytes ?? 20_000, maxAliases: config.maxAliases ?? 20 };
  const maxBodyBytes = config.maxBodyBytes ?? 100_000;
  const maxBatch = config.maxBatch ?? 5;
  const endpoint = config.endpoint ?? '/graphql';
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.path === endpoint) {
      if (ctx.method === 'POST' && ctx.request.is('application/json')) ctx.request.body = await readJson(ctx, maxBodyBytes);
      for (const query of queriesOf(ctx.request.body, ctx.query, maxBatch)) {
        const refusal = screenGraphqlQuery(query, limits);
        if (refusal) throw new errors.ValidationError(refusal);
      }
    }
    await next();
  };
};

export default graphqlLimits;
