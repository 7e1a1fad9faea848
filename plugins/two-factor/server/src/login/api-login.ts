import type { Core } from '@strapi/strapi';
import type { TwoFactorRequired } from '../../../shared/contracts';
import { getService } from '../utils/get-service';

type Ctx = { ip: string; params: { provider?: string }; request: { body?: Record<string, unknown> }; body: unknown; set(name: string, value: string): void };
type AuthController = { callback(ctx: Ctx, next?: unknown): Promise<unknown> } & Record<string, unknown>;

/**
 * `POST /api/auth/local` for an account with two-factor on answers a challenge instead of a JWT:
 * the password is checked as Strapi checks it, and no token or session is made before the code.
 * Every other sign-in goes to Strapi's own callback untouched.
 */
export function gateApiSignIn(strapi: Core.Strapi) {
  strapi.get('controllers').extend('plugin::users-permissions.auth', (controller: AuthController) => ({
    ...controller,
    async callback(ctx: Ctx, next?: unknown) {
      // TODO(issue 9): OAuth providers (/api/auth/:provider/callback) skip the second factor; none is enabled.
      if ((ctx.params.provider ?? 'local') !== 'local') return controller.callback(ctx, next);
      const body = ctx.request.body ?? {};
      const signIn = getService(strapi, 'apiSignIn');
      const account = await signIn.accountOf(body.identifier);
      const owner = account && { kind: 'user' as const, id: Number(account.id) };
      if (!owner || !(await getService(strapi, 'factors').enrolled(owner))) return controller.callback(ctx, next);
      await signIn.checkPassword(account, body.password);
      await getService(strapi, 'secondStep').assertOpen(ctx, owner);
      const challenge = await getService(strapi, 'challenges').open(owner, 'sign-in', {
        deviceId: typeof body.deviceId === 'string' ? body.deviceId.slice(0, 128) : undefined,
      });
      ctx.body = { twoFactorRequired: true, challenge } satisfies TwoFactorRequired;
    },
  }));
}
