import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import {
  OVERLAP_HOURS,
  PER_MINUTE_MAX,
  type ListTokensResponse,
  type RotateTokenResponse,
  type SetBudgetResponse,
} from '../../../shared/contracts/tokens';
import { getService } from '../utils/get-service';

type Ctx = { params: Record<string, string>; request: { body?: unknown }; body: unknown };

const tokenId = z.coerce.number().int().positive();
const budgetBody = z.object({ perMinute: z.number().int().min(1).max(PER_MINUTE_MAX).nullable() }).strict();
const rotateBody = z.object({ overlapHours: z.number().min(0).max(OVERLAP_HOURS.max).optional() }).strict();

/** The first problem with `value`, as Strapi's ValidationError naming the field. */
function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = issue.path.join('.') || 'body';
  throw new errors.ValidationError(`${field}: ${issue.message}`, { errors: result.error.issues.map((i) => ({ path: i.path, message: i.message })) });
}

/** The API tokens' budgets page: usage per token, a budget of its own, rotation with an overlap. */
const createTokensController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Ctx) {
    const tokens = getService(strapi, 'tokens');
    ctx.body = { data: await tokens.list(), meta: { defaultPerMinute: tokens.defaultPerMinute() } } satisfies ListTokensResponse;
  },

  async setBudget(ctx: Ctx) {
    const id = parse(tokenId, ctx.params.id);
    const { perMinute } = parse(budgetBody, ctx.request.body);
    ctx.body = { data: await getService(strapi, 'tokens').setBudget(id, perMinute) } satisfies SetBudgetResponse;
  },

  async rotate(ctx: Ctx) {
    const id = parse(tokenId, ctx.params.id);
    const { overlapHours = OVERLAP_HOURS.default } = parse(rotateBody, ctx.request.body);
    const tokens = getService(strapi, 'tokens');
    const rotated = await tokens.rotate(id, overlapHours);
    ctx.body = { data: { ...rotated, token: await tokens.get(id) } } satisfies RotateTokenResponse;
  },
});

export default createTokensController;
