import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import type { Rule, SegmentCount, SegmentSample, SegmentView } from '../../../shared/contracts/crm';
import { parseRules } from '../segments/rules';
import { getService } from '../utils/get-service';
import { invalidAll, parse } from '../utils/validation';

type Ctx = { params: Record<string, string>; request: { body?: unknown }; body: unknown; status: number };

const fields = { name: z.string().trim().min(1).max(120), description: z.string().max(1000).nullable().optional(), rules: z.unknown() };
const createBody = z.object(fields).strict();
const updateBody = z.object(fields).partial().strict();
export const idParam = (ctx: Ctx) => parse(z.coerce.number().int().positive(), ctx.params.id);

/** The rule tree, or a 400 naming every unknown field, operator and bad value at its path. */
export const rulesOf = (input: unknown): Rule => {
  const parsed = parseRules(input);
  if ('issues' in parsed) throw invalidAll(['rules'], parsed.issues);
  return parsed.rules;
};
const rulesBody = (ctx: Ctx) => rulesOf(parse(z.object({ rules: z.unknown() }).strict(), ctx.request.body ?? {}).rules);

/** Segments: CRUD, and a live count and a masked sample of rules being edited (not yet saved). */
const createSegmentsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'segments').list()) satisfies SegmentView[] };
  },
  async find(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'segments').find(idParam(ctx))) satisfies SegmentView };
  },
  async create(ctx: Ctx) {
    const input = parse(createBody, ctx.request.body ?? {});
    ctx.status = 201;
    ctx.body = { data: (await getService(strapi, 'segments').create({ ...input, rules: rulesOf(input.rules) })) satisfies SegmentView };
  },
  async update(ctx: Ctx) {
    const id = idParam(ctx);
    const input = parse(updateBody, ctx.request.body ?? {});
    ctx.body = { data: (await getService(strapi, 'segments').update(id, { ...input, rules: input.rules === undefined ? undefined : rulesOf(input.rules) })) satisfies SegmentView };
  },
  async remove(ctx: Ctx) {
    await getService(strapi, 'segments').remove(idParam(ctx));
    ctx.body = { data: { removed: true } };
  },
  async count(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'segments').count(rulesBody(ctx))) satisfies SegmentCount };
  },
  async sample(ctx: Ctx) {
    ctx.body = { data: { members: await getService(strapi, 'segments').sample(rulesBody(ctx)) } satisfies SegmentSample };
  },
});

export default createSegmentsController;
