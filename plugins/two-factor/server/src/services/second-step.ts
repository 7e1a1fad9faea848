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
 * code, the events. Every wrong answer counts against the address, and against the account it names:
 * a wrong or malformed code, a wrong recovery code, a code sent to an expired, spent or dead
 * challenge (its account is still known), an unknown challenge (the address only), a wrong password
 * of an account with two-factor on. Ten in fifteen minutes lock for fifteen.
 */
const createSecondStep = ({ strapi }: { strapi: Core.Strapi }) => {
  const limits = () => getService(strapi, 'failureLimits');
  const events = () => getService(strapi, 'events');

  /** Counts a wrong answer (challenge, account, address) and refuses it: `error`, or a ValidationError with `message`. */
  async function refuse(ctx: Ctx, owner: Owner | null, challenge: Challenge | null, message: string, error?: Error): Promise<never> {
    if (challenge) await getService(strapi, 'challenges').fail(challenge);
    const { accountLocked } = await limits().fail(owner, ctx.ip);
    if (owner) {
      await events().emit('failed', owner);
      if (accountLocked) await events().emit('locked', owner);
    }
    throw error ?? new errors.ValidationError(message);
  }

  /** The account a dead or foreign challenge token belonged to, when it was one of `kind`'s. */
  async function formerOwner(token: string, kind: Owner['kind']) {
    const owner = await getService(strapi, 'challenges').ownerOf(token);
    return owner?.kind === kind ? owner : null;
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
      if (!challenge || challenge.owner.kind !== kind || challenge.purpose !== purpose) return refuse(ctx, await formerOwner(token, kind), null, EXPIRED);
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
      if (!challenge || challenge.owner.kind !== 'admin' || challenge.purpose !== 'enrol') return refuse(ctx, await formerOwner(token, 'admin'), null, EXPIRED);
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

    /**
     * The password step of an account with two-factor on (a sign-in, turning off, new recovery
     * codes): refused while locked, and a wrong password counts as a wrong answer. Both of Strapi's
     * wordings for a wrong password start with "Invalid"; an unconfirmed or blocked account is no guess.
     */
    async passwordStep<T>(ctx: Ctx, owner: Owner, check: () => Promise<T>): Promise<T> {
      await this.assertOpen(ctx, owner);
      try {
        return await check();
      } catch (error) {
        if (error instanceof errors.ApplicationError && /^Invalid/.test(error.message)) return refuse(ctx, owner, null, error.message, error);
        throw error;
      }
    },

    /** A signed-in enrolment's first code: a wrong one counts, as any wrong answer. */
    async confirmOwnEnrolment(ctx: Ctx, owner: Owner, code: string, keepSession?: string): Promise<string[]> {
      await this.assertOpen(ctx, owner);
      try {
        return await getService(strapi, 'factors').confirm(owner, code, keepSession);
      } catch (error) {
        if (error instanceof errors.ValidationError) return refuse(ctx, owner, null, error.message);
        throw error;
      }
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
