/**
 * Strapi's own authentication and authorisation for a route, run before the router gets there:
 * the same steps @strapi/core's compose-endpoint runs for every route, in its order, with its
 * answers. The route's type picks the strategies registered with `strapi.get('auth')` (admin
 * sessions and admin tokens for admin routes; API tokens and users-permissions JWTs or the public
 * role for the content API), `verify` checks the route's auth scope, then its policies run.
 */
import type { Core } from '@strapi/strapi';
import { errors, policy } from '@strapi/utils';

type Ctx = {
  state: Record<string, unknown>;
  unauthorized(): void;
  forbidden(): void;
};

type Policy = { handler: (context: unknown, config: unknown, options: { strapi: Core.Strapi }) => unknown; config: unknown };

/**
 * Whether the route lets this request in, and then whether `also` does (given the authenticated
 * ctx.state: user, userAbility). A refusal is answered as the router would (401 or 403 in Strapi's
 * error shape; a failed policy throws its PolicyError). ctx.state is left as it was found, so the
 * router authenticates the request afresh.
 */
export async function authoriseRoute(strapi: Core.Strapi, ctx: Ctx, route: Core.Route, also: () => boolean = () => true) {
  const auth = strapi.get('auth');
  const state = ctx.state;
  ctx.state = { ...state, route: { ...route, config: route.config ?? {} } };
  let allowed = false;
  try {
    await auth.authenticate(ctx as never, async () => {
      try {
        await auth.verify(ctx.state.auth as never, route.config?.auth as never);
      } catch (error) {
        if (error instanceof errors.UnauthorizedError) return ctx.unauthorized();
        if (error instanceof errors.ForbiddenError && !(error instanceof errors.PolicyError)) return ctx.forbidden();
        throw error;
      }
      const policies = strapi.get('policies').resolve(route.config?.policies ?? [], route.info) as Policy[];
      const context = policy.createPolicyContext('koa', ctx);
      for (const { handler, config } of policies) {
        const result = await handler(context, config, { strapi });
        if (result !== true && result !== undefined) throw new errors.PolicyError();
      }
      allowed = also();
    });
  } finally {
    ctx.state = state;
  }
  return allowed;
}
