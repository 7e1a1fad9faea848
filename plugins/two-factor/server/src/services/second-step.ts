import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Owner } from '../utils/owner';
import { getService } from '../utils/get-service';
import type { Challenge } from './challenges';

type Ctx = { ip: string; set(name: string, value: string): void };

const EXPIRED = 'This sign-in has expired or was already completed: sign in again with your password';

function locked(ctx: Ctx, seconds: number): never {
  ctx.set('Retry-After', String(seconds));
  throw new errors.RateLimitError(`Too many wrong codes: try again in ${Math.ceil(seconds / 60)} minutes`, { retryAfter: seconds });
}

/**
 * The second step of a sign-in, the same for admins and API users: the challenge, the limits, the
 * code, the events. Every wrong answer (an unknown challenge too) counts against the address, and
 * against the account when the challenge names one: ten in fifteen minutes lock for fifteen.
 */
const createSecondStep = ({ strapi }: { strapi: Core.Strapi }) => {
  const limits = () => getService(strapi, 'failureLimits');
  const events = () => getService(strapi, 'events');

  async function refuse(ctx: Ctx, owner: Owner | null, challenge: Challenge | null, message: string): Promise<never> {
    if (challenge) await getService(strapi, 'challenges').fail(challenge);
    const { accountLocked } = await limits().fail(owner, ctx.ip);
    if (owner) {
      await events().emit('failed', owner);
      if (accountLocked) await events().emit('locked', owner);
    }
    throw new errors.ValidationError(message);
  }

  return {
    /** Refuses (429) when the account or the address is locked. */
    async assertOpen(ctx: Ctx, owner: Owner | null) {
      const wait = await limits().lockedFor(owner, ctx.ip);
      if (wait) locked(ctx, wait);
    },

    /** The challenge's owner once `code` is right for it; the challenge is then spent. */
    async complete(ctx: Ctx, kind: Owner['kind'], token: string, code: string, purpose: Challenge['purpose'] = 'sign-in'): Promise<Challenge> {
      await this.assertOpen(ctx, null);
      const challenge = await getService(strapi, 'challenges').find(token);
      if (!challenge || challenge.owner.kind !== kind || challenge.purpose !== purpose) return refuse(ctx, null, null, EXPIRED);
      await this.assertOpen(ctx, challenge.owner);
      const check = await getService(strapi, 'factors').check(challenge.owner, code);
      if (!check.accepted) return refuse(ctx, challenge.owner, challenge, 'Invalid code');
      if (!(await getService(strapi, 'challenges').close(challenge))) throw new errors.ValidationError(EXPIRED);
      if (check.by === 'recovery-code') await events().emit('recovery-code-used', challenge.owner, { details: { left: check.recoveryCodesLeft } });
      await events().emit('verified', challenge.owner, { details: { by: check.by } });
      return challenge;
    },

    /**
     * An admin whose role requires two-factor enrols inside the sign-in: the challenge (purpose
     * `enrol`) starts the enrolment, then its first code confirms it and spends the challenge.
     */
    async enrolling(ctx: Ctx, token: string): Promise<Challenge> {
      await this.assertOpen(ctx, null);
      const challenge = await getService(strapi, 'challenges').find(token);
      if (!challenge || challenge.owner.kind !== 'admin' || challenge.purpose !== 'enrol') return refuse(ctx, null, null, EXPIRED);
      return challenge;
    },

    async confirmEnrolment(ctx: Ctx, token: string, code: string): Promise<{ challenge: Challenge; recoveryCodes: string[] }> {
      const challenge = await this.enrolling(ctx, token);
      await this.assertOpen(ctx, challenge.owner);
      let recoveryCodes: string[];
      try {
        recoveryCodes = await getService(strapi, 'factors').confirm(challenge.owner, code);
      } catch (error) {
        if (error instanceof errors.ValidationError) return refuse(ctx, challenge.owner, challenge, 'Invalid code');
        throw error;
      }
      if (!(await getService(strapi, 'challenges').close(challenge))) throw new errors.ValidationError(EXPIRED);
      return { challenge, recoveryCodes };
    },

    /** For changes that need the password and a current code (turning off, new recovery codes). */
    async confirmCode(ctx: Ctx, owner: Owner, code: string) {
      await this.assertOpen(ctx, owner);
      const check = await getService(strapi, 'factors').check(owner, code);
      if (!check.accepted) return refuse(ctx, owner, null, 'Invalid code');
      if (check.by === 'recovery-code') await events().emit('recovery-code-used', owner, { details: { left: check.recoveryCodesLeft } });
    },
  };
};

export type SecondStepService = ReturnType<typeof createSecondStep>;
export default createSecondStep;
