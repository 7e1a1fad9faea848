import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Enrolment, RecoveryCodes, TwoFactorStatus } from '../../../shared/contracts';
import { getService } from '../utils/get-service';
import type { Owner } from '../utils/owner';
import { confirmBody, parseBody, passwordAndCode, verifyBody } from '../utils/validation';

type Ctx = {
  ip: string;
  request: { body?: unknown };
  state: { user?: { id: number; email?: string; username?: string }; auth?: unknown; session?: { id?: string } };
  body: unknown;
  set(name: string, value: string): void;
};

/** The signed-in users-permissions user (an API token is not one: its routes need a person). */
function signedIn(ctx: Ctx): Owner {
  if (!ctx.state.user) throw new errors.ForbiddenError('Sign in as a user to manage two-factor sign-in');
  return { kind: 'user', id: Number(ctx.state.user.id) };
}

/** API users (users-permissions): the second step of a sign-in, enrolment, turning off, new recovery codes. */
const api = ({ strapi }: { strapi: Core.Strapi }) => ({
  async verify(ctx: Ctx) {
    const body = parseBody(verifyBody, ctx.request.body);
    const challenge = await getService(strapi, 'secondStep').complete(ctx, 'user', body.challenge, body.code);
    ctx.body = await getService(strapi, 'apiSignIn').issue(ctx, challenge.owner.id, challenge.deviceId ?? undefined);
  },

  async status(ctx: Ctx) {
    const owner = signedIn(ctx);
    const factors = getService(strapi, 'factors');
    ctx.body = { data: { enrolled: await factors.enrolled(owner), recoveryCodesLeft: await factors.recoveryCodesLeft(owner) } satisfies TwoFactorStatus };
  },

  async enrol(ctx: Ctx) {
    const owner = signedIn(ctx);
    const user = ctx.state.user!;
    ctx.body = { data: (await getService(strapi, 'factors').begin(owner, user.email || user.username || `user ${owner.id}`)) satisfies Enrolment };
  },

  async confirm(ctx: Ctx) {
    const owner = signedIn(ctx);
    const { code } = parseBody(confirmBody, ctx.request.body);
    ctx.body = { data: { recoveryCodes: await getService(strapi, 'secondStep').confirmOwnEnrolment(ctx, owner, code, ctx.state.session?.id) } satisfies RecoveryCodes };
  },

  async disable(ctx: Ctx) {
    const owner = await withPasswordAndCode(strapi, ctx);
    await getService(strapi, 'factors').remove(owner, null, ctx.state.session?.id);
    ctx.body = { data: { enrolled: false, recoveryCodesLeft: 0 } satisfies TwoFactorStatus };
  },

  async regenerate(ctx: Ctx) {
    const owner = await withPasswordAndCode(strapi, ctx);
    ctx.body = { data: { recoveryCodes: await getService(strapi, 'factors').regenerateRecoveryCodes(owner) } satisfies RecoveryCodes };
  },
});

/** Turning two-factor off and new recovery codes take the account's password and a current code. */
async function withPasswordAndCode(strapi: Core.Strapi, ctx: Ctx): Promise<Owner> {
  const owner = signedIn(ctx);
  const body = parseBody(passwordAndCode, ctx.request.body);
  if (!(await getService(strapi, 'factors').enrolled(owner))) throw new errors.ApplicationError('Two-factor sign-in is not on');
  const secondStep = getService(strapi, 'secondStep');
  await secondStep.passwordStep(ctx, owner, async () => {
    const account = (await strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: owner.id } })) as { password?: string } | null;
    const valid = account?.password && (await strapi.plugin('users-permissions').service('user').validatePassword(body.password, account.password));
    if (!valid) throw new errors.ValidationError('Invalid password');
  });
  await secondStep.confirmCode(ctx, owner, body.code);
  return owner;
}

export default api;
