import type { Core } from '@strapi/strapi';
import { appService } from './app-services';
import type { JobHandler } from './types';

/** The sms-voting plugin's rounds service (plugins/sms-voting/server/src/services/rounds.ts), as used here. */
export type Rounds = { notifyRoundOpen(roundRef: string, options?: { resend?: boolean }): Promise<Record<string, number>> };

const rounds = (strapi: Core.Strapi) => appService(strapi, 'plugin::sms-voting.rounds');

/** Queues a message to every joined, consenting fan of a round that opened: their own voting link. */
export const notifyRound: JobHandler<'round.notify'> = async ({ roundRef, resend }, { strapi, logger }) => {
  const result = await rounds(strapi).notifyRoundOpen(roundRef, { resend });
  logger.info('round.notify done', { roundRef, ...result });
  return result;
};
