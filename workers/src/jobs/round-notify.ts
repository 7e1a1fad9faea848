import type { Core } from '@strapi/strapi';
import type { JobHandler } from './types';

/** The sms-voting plugin's rounds service (plugins/sms-voting/server/src/services/rounds.ts), as used here. */
type Rounds = { notifyRoundOpen(roundRef: string): Promise<{ queued: number; skipped: number }> };

const rounds = (strapi: Core.Strapi) => strapi.plugin('sms-voting').service('rounds') as unknown as Rounds;

/** Texts every joined, consenting fan their link for a round that just opened (through message.send). */
export const notifyRound: JobHandler<'round.notify'> = async ({ roundRef }, { strapi, logger }) => {
  const result = await rounds(strapi).notifyRoundOpen(roundRef);
  logger.info('round.notify queued', { roundRef, ...result });
  return result;
};
