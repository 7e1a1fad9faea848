import type { Core } from '@strapi/strapi';
import type { TwoFactorRequired } from '../../../shared/contracts';
import { getService } from '../utils/get-service';

type Ctx = {
  ip: string;
  params: { provider?: string };
  request: { body?: Record<string, unknown> };
  session?: { grant?: { response?: Record<string, unknown> } } | null;
  state: { auth?: unknown };
  body: unknown;
  set(name: string, value: string): void;
};
type AuthController = { callback(ctx: Ctx, next?: unknown): Promise<unknown> } & Record<string, unknown>;

/**
 * `POST /api/auth/local` for an account with two-factor on answers a challenge instead of a JWT:
 * the password is checked as Strapi checks it, and no token or session is made before the code.
 * A provider's sign-in (`GET /api/auth/:provider/callback`) is held the same way: the provider
 * vouches for the person as the password does, and the code is still asked for. Every other
 * sign-in goes to Strapi's own callback untouched.
 */
export function gateApiSignIn(strapi: Core.Strapi) {
  strapi.get('controllers').extend('plugin::users-permissions.auth', (controller: AuthController) => ({
    ...controller,
    async callback(ctx: Ctx, next?: unknown) {
      const signIn = getService(strapi, 'apiSignIn');
      const provider = ctx.params.provider ?? 'local';
      if (provider !== 'local') {
        const account = await signIn.providerAccount(ctx, provider);
        const owner = { kind: 'user' as const, id: Number(account.id) };
        if (!(await getService(strapi, 'factors').enrolled(owner))) {
          ctx.body = await signIn.issue(ctx, owner.id);
          return;
        }
        await getService(strapi, 'secondStep').assertOpen(ctx, owner);
        ctx.body = { twoFactorRequired: true, challenge: await getService(strapi, 'challenges').open(owner, 'sign-in') } satisfies TwoFactorRequired;
        return;
      }
      const body = ctx.request.body ?? {};
      const account = await signIn.accountOf(body.identifier);
      const owner = account && { kind: 'user' as const, id: Number(account.id) };
      if (!owner || !(await getService(strapi, 'factors').enrolled(owner))) return controller.callback(ctx, next);
      await getService(strapi, 'secondStep').passwordStep(ctx, owner, () => signIn.checkPassword(account, body.password));
      const challenge = await getService(strapi, 'challenges').open(owner, 'sign-in', {
        deviceId: typeof body.deviceId === 'string' ? body.deviceId.slice(0, 128) : undefined,
      });
      ctx.body = { twoFactorRequired: true, challenge } satisfies TwoFactorRequired;
    },
  }));
}
