import { errors } from '@strapi/utils';
import { CallerError, CLIENT_ADDRESS_HEADER, identifyCaller, SITE_TOKEN_HEADER, siteTokenMatcher, type Caller } from '../lib/callers';
import { secrets } from '../lib/secrets';

type Ctx = {
  get(header: string): string;
  request: { ip: string };
  state: { caller?: Caller };
};

/**
 * Sets `ctx.state.caller` (see lib/callers.ts). A fan's request through the site also takes the
 * fan's address as `ctx.request.ip`, so every per-IP limit in the app and its plugins counts fans.
 */
const caller = () => {
  const isSiteToken = siteTokenMatcher(secrets().SITE_TOKEN);
  return async (ctx: Ctx, next: () => Promise<void>) => {
    try {
      ctx.state.caller = identifyCaller(
        { address: ctx.request.ip, siteToken: ctx.get(SITE_TOKEN_HEADER), clientAddress: ctx.get(CLIENT_ADDRESS_HEADER) },
        isSiteToken,
      );
    } catch (error) {
      if (error instanceof CallerError) {
        throw error.status === 401 ? new errors.UnauthorizedError(error.message) : new errors.ValidationError(error.message);
      }
      throw error;
    }
    if (ctx.state.caller.kind === 'fan') ctx.request.ip = ctx.state.caller.address;
    await next();
  };
};

export default caller;
