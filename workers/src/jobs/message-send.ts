import type { Core } from '@strapi/strapi';
import { PermanentJobError, ProviderError } from '../errors';
import { queueSettings } from '../settings';
import type { JobHandler } from './types';

/** The cms's outbox service (cms/src/api/message/services/message.ts), as this handler uses it. */
type Outbox = {
  claim(
    input: { idempotencyKey: string; channel: 'sms' | 'email'; provider: string; to: string; subject?: string; body: string; purpose: string },
    leaseMs: number
  ): Promise<{ claimed: true; id: number } | { claimed: false; reason: 'already_sent' | 'in_flight' }>;
  markSent(id: number, providerMessageId: string): Promise<void>;
  markFailed(id: number, reason: string): Promise<void>;
  markSuppressed(id: number, reason: string): Promise<void>;
};

/** The cms's consent ledger (cms/src/api/consent-record/services/consent-record.ts). */
type ConsentLedger = { allows(identifier: string, channel: 'sms' | 'email'): Promise<boolean> };

const outbox = (strapi: Core.Strapi) => strapi.service('api::message.message') as unknown as Outbox;
const consent = (strapi: Core.Strapi) => strapi.service('api::consent-record.consent-record') as unknown as ConsentLedger;

// A claim older than two job timeouts belongs to a worker that died: another delivery may take it.
const LEASE_MS = 2 * queueSettings['message.send'].timeoutMs;

/**
 * Sends one SMS or email. Delivered twice (a retry, a stalled job handed out again, a duplicate
 * enqueue), it sends once: the outbox row keyed by the idempotency key is claimed before the provider
 * is called and marked sent after.
 */
export const sendMessage: JobHandler<'message.send'> = async (payload, { strapi, providers, logger, throttle }) => {
  const provider = providers[payload.channel];
  const claim = await outbox(strapi).claim({ ...payload, provider: provider.name }, LEASE_MS);
  if (!claim.claimed) {
    logger.info('message.send skipped', { key: payload.idempotencyKey, reason: claim.reason });
    return { status: claim.reason };
  }

  // Checked at the last moment: a fan who texted STOP after this was queued gets nothing.
  if (!(await consent(strapi).allows(payload.to, payload.channel))) {
    await outbox(strapi).markSuppressed(claim.id, 'The recipient opted out');
    logger.info('message.send suppressed: opted out', { key: payload.idempotencyKey });
    return { status: 'suppressed' };
  }

  try {
    await throttle?.(payload.channel);
    const { providerMessageId } = await provider.send(payload);
    await outbox(strapi).markSent(claim.id, providerMessageId);
    logger.info('message.send sent', { key: payload.idempotencyKey, provider: provider.name, providerMessageId });
    return { status: 'sent', provider: provider.name, providerMessageId };
  } catch (error) {
    await outbox(strapi).markFailed(claim.id, (error as Error).message);
    if (error instanceof ProviderError && error.permanent) {
      throw new PermanentJobError(error.message, { cause: error });
    }
    throw error;
  }
};
