import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import type { TwoFactorRequired } from '../../../shared/contracts';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { parseBody } from '../utils/validation';

type Ctx = { ip: string; request: { body?: Record<string, unknown> }; state: { user?: unknown }; body: unknown; set(name: string, value: string): void };
type Next = () => Promise<unknown>;
type AuthenticationController = { login(ctx: Ctx, next: Next): Promise<unknown> } & Record<string, unknown>;

// What core's login validates (its own yup schema), with the credentials passport would read.
const loginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(512), deviceId: z.string().uuid().optional(), rememberMe: z.boolean().optional() }).passthrough();

/**
 * `POST /admin/login` for an admin with two-factor on (or whose role requires it) stops after the
 * password: the answer is a challenge, and there is no session row, no refresh cookie and no access
 * token until `POST /admin/two-factor/verify` takes the code. Other admins go through core's login.
 */
export function gateAdminSignIn(strapi: Core.Strapi) {
  strapi.get('controllers').extend('admin::authentication', (controller: AuthenticationController) => ({
    ...controller,
    async login(ctx: Ctx, next: Next) {
      const signIn = getService(strapi, 'adminSignIn');
      const account = pluginConfig(strapi).admin && (await signIn.accountOf(ctx.request.body?.email));
      if (!account) return controller.login(ctx, next);
      const owner = { kind: 'admin' as const, id: Number(account.id) };
      const enrolled = await getService(strapi, 'factors').enrolled(owner);
      if (!enrolled && !(await signIn.mandatoryFor(account))) return controller.login(ctx, next);
      const body = parseBody(loginBody, ctx.request.body);
      // Named for the audit trail's sign-in entry: the password was right, the code is still to come.
      ctx.state.user = await getService(strapi, 'secondStep').passwordStep(ctx, owner, () => signIn.checkPassword(body.email, body.password));
      // An admin whose role requires two-factor and who has none enrols now: the challenge then
      // serves the enrolment, and the session opens only once its first code is in.
      const challenge = await getService(strapi, 'challenges').open(owner, enrolled ? 'sign-in' : 'enrol', { rememberMe: body.rememberMe, deviceId: body.deviceId });
      ctx.body = { data: { twoFactorRequired: true, challenge, ...(enrolled ? {} : { enrolmentRequired: true as const }) } satisfies TwoFactorRequired };
    },
  }));
}
