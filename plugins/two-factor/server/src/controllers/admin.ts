import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import QRCode from 'qrcode';
import type { EnrolledSignIn, Enrolment, RecoveryCodes, TwoFactorStatus } from '../../../shared/contracts';
import type { FactorsService } from '../services/factors';
import { getService } from '../utils/get-service';
import type { Owner } from '../utils/owner';
import { pluginConfig } from '../utils/plugin-config';
import { challengeBody, confirmBody, parseBody, passwordAndCode, verifyBody } from '../utils/validation';

type Ctx = {
  ip: string;
  params: Record<string, string>;
  request: { body?: unknown; secure: boolean; headers: Record<string, string | string[] | undefined> };
  state: { user?: { id: number; email?: string }; session?: { id?: string } };
  cookies: { set(name: string, value: string, options: object): void };
  body: unknown;
  set(name: string, value: string): void;
};

const ADMIN_USER = 'admin::user';

/** With TWO_FACTOR_ADMIN=false the admin routes answer 404 and core's login is untouched. */
function adminSignInOn(strapi: Core.Strapi) {
  if (!pluginConfig(strapi).admin) throw new errors.NotFoundError('Two-factor sign-in for admins is turned off (TWO_FACTOR_ADMIN=false)');
}

/** A new enrolment, with its QR code drawn here: the secret never goes to a third party to be turned into a picture. */
async function enrolmentWithQrCode(factors: FactorsService, owner: Owner, label: string): Promise<Enrolment> {
  const enrolment = await factors.begin(owner, label);
  const svg = await QRCode.toString(enrolment.otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { ...enrolment, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

const me = (ctx: Ctx): Owner => ({ kind: 'admin', id: Number(ctx.state.user!.id) });

/** Admins: the second step of `POST /admin/login`, and the signed-in admin's own enrolment. */
const admin = ({ strapi }: { strapi: Core.Strapi }) => {
  const factors = () => getService(strapi, 'factors');

  /** Turning two-factor off and new recovery codes take the admin's password and a current code. */
  async function withPasswordAndCode(ctx: Ctx) {
    const owner = me(ctx);
    const body = parseBody(passwordAndCode, ctx.request.body);
    if (!(await factors().enrolled(owner))) throw new errors.ApplicationError('Two-factor sign-in is not on');
    const secondStep = getService(strapi, 'secondStep');
    await secondStep.passwordStep(ctx, owner, async () => {
      const account = (await strapi.db.query(ADMIN_USER).findOne({ where: { id: owner.id } })) as { password?: string } | null;
      const valid = account?.password && (await strapi.service('admin::auth').validatePassword(body.password, account.password));
      if (!valid) throw new errors.ValidationError('Invalid password');
    });
    await secondStep.confirmCode(ctx, owner, body.code);
    return owner;
  }

  return {
    /** `POST /admin/two-factor/verify`: the code after the password; answers exactly what core's login answers. */
    async verify(ctx: Ctx) {
      adminSignInOn(strapi);
      const body = parseBody(verifyBody, ctx.request.body);
      const challenge = await getService(strapi, 'secondStep').complete(ctx, 'admin', body.challenge, body.code);
      ctx.body = { data: await getService(strapi, 'adminSignIn').openSession(ctx, challenge.owner.id, challenge) };
    },

    /** `POST /admin/two-factor/enrolment`: a mandatory enrolment, started with the sign-in's challenge. */
    async startEnrolment(ctx: Ctx) {
      adminSignInOn(strapi);
      const { challenge: token } = parseBody(challengeBody, ctx.request.body);
      const challenge = await getService(strapi, 'secondStep').enrolling(ctx, token);
      const account = (await strapi.db.query(ADMIN_USER).findOne({ where: { id: challenge.owner.id }, select: ['email'] })) as { email: string } | null;
      ctx.body = { data: await enrolmentWithQrCode(factors(), challenge.owner, account?.email ?? `admin ${challenge.owner.id}`) };
    },

    /** `POST /admin/two-factor/enrolment/confirm`: its first code turns it on and opens the session, as core's login. */
    async confirmEnrolment(ctx: Ctx) {
      adminSignInOn(strapi);
      const body = parseBody(verifyBody, ctx.request.body);
      const { challenge, recoveryCodes } = await getService(strapi, 'secondStep').confirmEnrolment(ctx, body.challenge, body.code);
      const session = await getService(strapi, 'adminSignIn').openSession(ctx, challenge.owner.id, challenge);
      ctx.body = { data: { ...session, recoveryCodes } satisfies EnrolledSignIn };
    },

    async status(ctx: Ctx) {
      adminSignInOn(strapi);
      const owner = me(ctx);
      ctx.body = { data: { enrolled: await factors().enrolled(owner), recoveryCodesLeft: await factors().recoveryCodesLeft(owner) } satisfies TwoFactorStatus };
    },

    async enrol(ctx: Ctx) {
      adminSignInOn(strapi);
      ctx.body = { data: await enrolmentWithQrCode(factors(), me(ctx), ctx.state.user!.email ?? `admin ${ctx.state.user!.id}`) };
    },

    async confirm(ctx: Ctx) {
      adminSignInOn(strapi);
      const owner = me(ctx);
      const { code } = parseBody(confirmBody, ctx.request.body);
      ctx.body = { data: { recoveryCodes: await getService(strapi, 'secondStep').confirmOwnEnrolment(ctx, owner, code, ctx.state.session?.id) } satisfies RecoveryCodes };
    },

    async disable(ctx: Ctx) {
      adminSignInOn(strapi);
      await factors().remove(await withPasswordAndCode(ctx), null, ctx.state.session?.id);
      ctx.body = { data: { enrolled: false, recoveryCodesLeft: 0 } satisfies TwoFactorStatus };
    },

    async regenerate(ctx: Ctx) {
      adminSignInOn(strapi);
      ctx.body = { data: { recoveryCodes: await factors().regenerateRecoveryCodes(await withPasswordAndCode(ctx)) } satisfies RecoveryCodes };
    },

    /** A super admin (`plugin::two-factor.reset`) removes another admin's factor, and ends their sessions; recorded as `reset` by them. */
    async reset(ctx: Ctx) {
      const id = Number(ctx.params.id);
      if (!Number.isInteger(id) || id <= 0) throw new errors.ValidationError('id: must be an admin user id');
      if (id === Number(ctx.state.user!.id)) throw new errors.ApplicationError('Turn your own two-factor sign-in off with your password and a code');
      if (!(await strapi.db.query(ADMIN_USER).count({ where: { id } }))) throw new errors.NotFoundError('No such admin user');
      const removed = await factors().remove({ kind: 'admin', id }, { kind: 'admin', id: Number(ctx.state.user!.id) });
      ctx.body = { data: { reset: removed } };
    },
  };
};

export default admin;
