import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { INBOUND_PATH } from '../../../shared/contracts';

/** koa-body's limit for a form, which the general chain would apply. */
const FORM_LIMIT_BYTES = 56 * 1024;

type Ctx = {
  method: string;
  path: string;
  is(type: string): string | false | null;
  req: NodeJS.ReadableStream;
  request: { body?: unknown };
  params?: Record<string, string>;
  _matchedRoute?: string;
};
type Handler = (ctx: Ctx, next: () => Promise<void>) => Promise<unknown>;
type Layer = { path: string; methods: string[]; stack: Handler[] };

/** A urlencoded body as koa-body reads it (one value per name), or a 413 past the limit. */
async function readForm(req: NodeJS.ReadableStream) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > FORM_LIMIT_BYTES) throw new errors.PayloadTooLargeError('The request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/**
 * Twilio's inbound webhook, the busiest route during a live event, taken ahead of the app's general
 * middleware chain: placed after the request log, the error shape, metrics and the outage answers, it
 * reads the form itself and runs the route exactly as Strapi registered it (its route info, auth,
 * Twilio signature policy, per-number limit and handler: the layer of the content API's router), so
 * nothing of the route is written twice. What it skips is what this route never uses: the caller and
 * request budgets (the route is exempt), CORS, security headers for browsers, the query parser, the
 * session and the static files. Anything but a urlencoded POST goes the general way.
 */
const inboundLane = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let layer: Layer | undefined;
  const route = () => {
    layer ??= (strapi.server.api('content-api').listRoutes() as unknown as Layer[]).find((candidate) => candidate.path === INBOUND_PATH && candidate.methods.includes('POST'));
    if (!layer) throw new Error(`sms-voting: the route POST ${INBOUND_PATH} is not registered`);
    return layer;
  };
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.method !== 'POST' || ctx.path !== INBOUND_PATH || !ctx.is('application/x-www-form-urlencoded')) return next();
    const { path, stack } = route();
    ctx.request.body = await readForm(ctx.req);
    ctx.params = {};
    ctx._matchedRoute = path;
    const run = (index: number): Promise<void> => (index < stack.length ? Promise.resolve(stack[index](ctx, () => run(index + 1))).then(() => undefined) : Promise.resolve());
    await run(0);
  };
};

export default inboundLane;
