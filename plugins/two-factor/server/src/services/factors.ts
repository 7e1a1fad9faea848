import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ownerWhere, type Owner } from '../utils/owner';
import { pluginConfig } from '../utils/plugin-config';
import { deriveKeys, hashRecoveryCode, newRecoveryCode, seal, unseal, type Keys } from '../utils/sealing';
import { getService } from '../utils/get-service';
import { acceptedStep, CODE_PATTERN, newSecret, otpauthUri } from './totp';

const FACTOR = 'plugin::two-factor.factor';
const RECOVERY_CODE = 'plugin::two-factor.recovery-code';
export const RECOVERY_CODES_PER_SET = 10;

type FactorRow = { id: number; secret_sealed: string; last_time_step: string | number | null; confirmed_at: string | null };

export type CodeCheck = { accepted: false } | { accepted: true; by: 'totp' | 'recovery-code'; recoveryCodesLeft?: number };

/** An owner's authenticator (TOTP) and recovery codes: enrolment, checking a code, turning it off. */
const createFactors = ({ strapi }: { strapi: Core.Strapi }) => {
  let keys: Keys | undefined;
  const keysNow = () => (keys ??= deriveKeys(pluginConfig(strapi).encryptionKey));
  const factorOf = (owner: Owner) => strapi.db.query(FACTOR).findOne({ where: ownerWhere(owner) }) as Promise<FactorRow | null>;
  const events = () => getService(strapi, 'events');

  /** A new set of recovery codes replaces the old one whole, in the caller's transaction. */
  async function replaceRecoveryCodes(owner: Owner): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES_PER_SET }, newRecoveryCode);
    await strapi.db.query(RECOVERY_CODE).deleteMany({ where: ownerWhere(owner) });
    await strapi.db.query(RECOVERY_CODE).createMany({ data: codes.map((code) => ({ ...ownerWhere(owner), code_hash: hashRecoveryCode(keysNow(), code) })) });
    return codes;
  }

  async function checkTotp(factor: FactorRow, code: string) {
    const last = factor.last_time_step === null ? null : Number(factor.last_time_step);
    const step = await acceptedStep(unseal(keysNow(), factor.secret_sealed), code, last);
    if (step === null) return false;
    // The database decides a race between two uses of one code: only one moves the step on.
    const { count } = await strapi.db.query(FACTOR).updateMany({
      where: { id: factor.id, $or: [{ last_time_step: null }, { last_time_step: { $lt: step } }] },
      data: { last_time_step: step },
    });
    return count === 1;
  }

  return {
    /** Whether the owner signs in with a second factor. */
    async enrolled(owner: Owner) {
      return Boolean((await factorOf(owner))?.confirmed_at);
    },

    /**
     * Starts (or starts again) an enrolment: a new secret, not used for sign-ins until confirmed with
     * a first code. Refused while a confirmed factor exists: replacing it takes turning it off first.
     */
    async begin(owner: Owner, label: string) {
      const existing = await factorOf(owner);
      if (existing?.confirmed_at) throw new errors.ApplicationError('Two-factor sign-in is already on: turn it off first to enrol another authenticator');
      const secret = newSecret();
      const sealed = seal(keysNow(), secret);
      if (existing) await strapi.db.query(FACTOR).update({ where: { id: existing.id }, data: { secret_sealed: sealed, last_time_step: null } });
      else await strapi.db.query(FACTOR).create({ data: { ...ownerWhere(owner), secret_sealed: sealed } });
      return { secret, otpauthUri: otpauthUri(pluginConfig(strapi).issuer, label, secret) };
    },

    /**
     * Confirms an enrolment with a first code; answers the recovery codes, which are never shown again.
     * Every other session of the owner ends (`keepSession`, the one enrolling, stays).
     */
    async confirm(owner: Owner, code: string, keepSession?: string): Promise<string[]> {
      const codes = await strapi.db.transaction(async () => {
        const factor = await factorOf(owner);
        if (!factor || factor.confirmed_at) throw new errors.ApplicationError('There is no enrolment to confirm: start one first');
        if (!(await checkTotp(factor, code))) return null;
        await strapi.db.query(FACTOR).update({ where: { id: factor.id }, data: { confirmed_at: new Date() } });
        return replaceRecoveryCodes(owner);
      });
      if (!codes) throw new errors.ValidationError('Invalid code: type the 6 digits your app shows now');
      const sessionsEnded = await getService(strapi, 'sessions').endOthers(owner, keepSession);
      await events().emit('enrolled', owner, { details: { sessionsEnded } });
      return codes;
    },

    /** Checks a sign-in code: the app's 6 digits, or an unused recovery code (which is then used up). */
    async check(owner: Owner, code: string): Promise<CodeCheck> {
      const factor = await factorOf(owner);
      if (!factor?.confirmed_at) return { accepted: false };
      if (CODE_PATTERN.test(code)) return (await checkTotp(factor, code)) ? { accepted: true, by: 'totp' } : { accepted: false };
      const { count } = await strapi.db.query(RECOVERY_CODE).updateMany({
        where: { ...ownerWhere(owner), code_hash: hashRecoveryCode(keysNow(), code), used_at: null },
        data: { used_at: new Date() },
      });
      if (count !== 1) return { accepted: false };
      const recoveryCodesLeft = await strapi.db.query(RECOVERY_CODE).count({ where: { ...ownerWhere(owner), used_at: null } });
      return { accepted: true, by: 'recovery-code', recoveryCodesLeft };
    },

    /** A new set of recovery codes (the old ones stop working). The caller has checked password and code. */
    async regenerateRecoveryCodes(owner: Owner): Promise<string[]> {
      const codes = await strapi.db.transaction(() => replaceRecoveryCodes(owner));
      await events().emit('new-recovery-codes', owner);
      return codes;
    },

    /**
     * Removes the factor and its recovery codes: by the owner (`disabled`; the session doing it,
     * `keepSession`, stays) or by someone else (`reset`). Every other session of the owner ends.
     */
    async remove(owner: Owner, by: { kind: 'admin' | 'script'; id: number | null } | null = null, keepSession?: string): Promise<boolean> {
      const removed = await strapi.db.transaction(async () => {
        await strapi.db.query(RECOVERY_CODE).deleteMany({ where: ownerWhere(owner) });
        return (await strapi.db.query(FACTOR).deleteMany({ where: ownerWhere(owner) })).count > 0;
      });
      if (!removed) return false;
      const sessionsEnded = await getService(strapi, 'sessions').endOthers(owner, by ? undefined : keepSession);
      await events().emit(by ? 'reset' : 'disabled', owner, { by, details: { sessionsEnded } });
      return true;
    },

    async recoveryCodesLeft(owner: Owner) {
      return strapi.db.query(RECOVERY_CODE).count({ where: { ...ownerWhere(owner), used_at: null } });
    },
  };
};

export type FactorsService = ReturnType<typeof createFactors>;
export default createFactors;
