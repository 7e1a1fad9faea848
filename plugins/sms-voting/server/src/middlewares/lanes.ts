import type { IncomingMessage } from 'http';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import parseBody from 'co-body';
import { INBOUND_PATH, VOTING_API } from '../../../shared/contracts';
import { isSiteCaller } from '../policies/from-site';

/** koa-body's limits, which the general chain would apply. */
const FORM_LIMIT_BYTES = 56 * 1024;
const JSON_LIMIT = '1mb';

type Ctx = {
  method: string;
  path: string;
  is(type: string): string | false | null;
  req: IncomingMessage;
  request: { body?: unknown };
  state: { caller?: { kind: string } };
  params?: Record<string, string>;
  _matchedRoute?: string;
};
type Handler = (ctx: Ctx, next: () => Promise<void>) => Promise<unknown>;
type Layer = { path: string; methods: string[]; stack: Handler[] };

type Lane = {
  /** A POST route of the content API, by its full path. */
  path: string;
  /** Whether this request is one the lane serves; any other goes the general way. */
  takes(ctx: Ctx): boolean;
  /** The body, read as koa-body would read it for this route. */
  read(ctx: Ctx): Promise<unknown>;
};

/** A urlencoded body as koa-body reads it (one value per name), or a 413 past the limit. */
async function readForm(ctx: Ctx) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > FORM_LIMIT_BYTES) throw new errors.PayloadTooLargeError('The request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** A route the site posts JSON to: taken when the site's token came with it. */
const siteJson = (path: string): Lane => ({
  path,
  takes: (ctx) => isSiteCaller(ctx.state.caller) && Boolean(ctx.is('application/json')),
  // koa-body's own JSON reader, with its limit and its refusal of prototype keys: the same 400s and 413s.
  read: (ctx) => parseBody.json(ctx.req, { limit: JSON_LIMIT, strict: true }),
});

const LANES: Lane[] = [
  // Twilio's inbound SMS webhook: the busiest route while a round is open.
  { path: INBOUND_PATH, takes: (ctx) => Boolean(ctx.is('application/x-www-form-urlencoded')), read: readForm },
  // Web votes as the site posts them for its fans, one or a batch (server to server: no browser reads
  // these answers, so their CORS and security headers are not missed). Anyone else's go the general way.
  siteJson(`${VOTING_API}/votes`),
  siteJson(`${VOTING_API}/votes/batch`),
];

/**
 * The voting routes that carry a live round, taken ahead of the app's general middleware chain.
 * Placed after the request log, the error shape, metrics, the outage answers and the caller, a lane
 * reads its route's body itself and runs the route exactly as Strapi registered it (its route info,
 * auth, policies such as Twilio's signature, rate limits and handler: the layer of the content API's
 * router), so nothing of the route is written twice. What it skips is what these routes never use:
 * the request budgets (they are exempt and limited per number or per token instead), CORS, security
 * headers for browsers, the query parser, the session, the static files and the router's search
 * through every route. A request a lane does not take goes the general way.
 */
const lanes = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const layers = new Map<string, Layer>();
  const layerOf = (path: string) => {
    let layer = layers.get(path);
    if (!layer) {
      layer = (strapi.server.api('content-api').listRoutes() as unknown as Layer[]).find((candidate) => candidate.path === path && candidate.methods.includes('POST'));
      if (!layer) throw new Error(`sms-voting: the route POST ${path} is not registered`);
      layers.set(path, layer);
    }
    return layer;
  };
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.method !== 'POST') return next();
    const lane = LANES.find((candidate) => candidate.path === ctx.path);
    if (!lane || !lane.takes(ctx)) return next();
    const { path, stack } = layerOf(lane.path);
    ctx.request.body = await lane.read(ctx);
    ctx.params = {};
    ctx._matchedRoute = path;
    const run = (index: number): Promise<void> => (index < stack.length ? Promise.resolve(stack[index](ctx, () => run(index + 1))).then(() => undefined) : Promise.resolve());
    await run(0);
  };
};

export default lanes;
