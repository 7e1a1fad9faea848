import type { Core } from '@strapi/strapi';
import { appService } from './app-services';
import { PermanentJobError, ProviderError, RetryLaterError } from '../errors';
import type { JobHandler } from './types';

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'unknown';

/** The cms's outbox service (cms/src/api/message/services/message.ts), as this handler uses it. */
export type Outbox = {
  forSending(id: number): Promise<{
    id: number;
    idempotencyKey: string;
    purpose: string;
    channel: 'sms' | 'email';
    state: OutboxState;
    attempts: number;
    to: string;
    recipientHash: string;
    subject: string | null;
    body: string;
    html?: string | null;
    headers?: Record<string, string>;
    sendingSince: Date | null;
  } | null>;
  markSending(id: number, provider: string, seen: { state: OutboxState; attempts: number }): Promise<boolean>;
  markSent(id: number, providerMessageId: string): Promise<void>;
  markFailed(id: number, reason: string): Promise<void>;
  markSuppressed(id: number, reason: string): Promise<void>;
  markUnknown(id: number, reason: string): Promise<void>;
  verdict(message: { purpose: string; idempotencyKey: string; channel: 'sms' | 'email'; to: string; recipientHash: string }): Promise<
    { send: true } | { send: false; suppress: string } | { send: false; retryAt: Date; reason: string }
  >;
};

/** The cms's consent ledger (cms/src/api/consent-record/services/consent-record.ts). */
export type ConsentLedger = { allowsSubject(subjectHash: string, channel: 'sms' | 'email'): Promise<boolean> };

const outbox = (strapi: Core.Strapi) => appService(strapi, 'api::message.message');
const consent = (strapi: Core.Strapi) => appService(strapi, 'api::consent-record.consent-record');

/**
 * Sends one outbox message, exactly once however often the job runs. The message row says where it
 * is: a message already sent (or suppressed) is not sent again; one left `sending` by an attempt that
 * may have reached the provider is first looked up there (Twilio's message list), and where the
 * provider cannot be asked, the message is marked `unknown` for a person to decide instead of guessed.
 * The recipient is read (and decrypted) from PostgreSQL here: the job itself carries only the row id.
 */
export const sendMessage: JobHandler<'message.send'> = async ({ messageId }, { strapi, providers, logger, throttle }) => {
  const message = await outbox(strapi).forSending(messageId);
  if (!message) throw new PermanentJobError(`Outbox message ${messageId} does not exist`);
  if (message.state === 'sent' || message.state === 'suppressed') return { status: message.state, messageId };
  if (message.state === 'unknown') {
    throw new PermanentJobError('An earlier attempt may have been delivered; Retry on the Jobs page sends it again');
  }
  const provider = providers[message.channel];

  if (message.state === 'sending') {
    // An earlier attempt stopped after handing the message to the provider, or just before.
    if (!provider.findSent) {
      await outbox(strapi).markUnknown(message.id, `${provider.name} cannot be asked whether an earlier attempt was delivered`);
      throw new PermanentJobError(`An earlier attempt may have reached ${provider.name}; Retry on the Jobs page sends it again`);
    }
    const found = await provider.findSent({ channel: message.channel, to: message.to, body: message.body, since: message.sendingSince ?? new Date(0) });
    if (found) {
      await outbox(strapi).markSent(message.id, found.providerMessageId);
      logger.info('message.send: an earlier attempt had been delivered', { messageId, provider: provider.name, providerMessageId: found.providerMessageId });
      return { status: 'sent', messageId, provider: provider.name, providerMessageId: found.providerMessageId, recovered: true };
    }
  }

  // Checked at the last moment: a fan who texted STOP after this was queued gets nothing.
  if (!(await consent(strapi).allowsSubject(message.recipientHash, message.channel))) {
    await outbox(strapi).markSuppressed(message.id, 'The recipient opted out');
    return { status: 'suppressed', messageId };
  }
  // Its producer's word (a campaign: its consent purpose, paused or cancelled, the fan's quiet hours).
  const verdict = await outbox(strapi).verdict(message);
  if (!verdict.send && 'suppress' in verdict) {
    await outbox(strapi).markSuppressed(message.id, verdict.suppress);
    return { status: 'suppressed', messageId };
  }
  if (!verdict.send) throw new RetryLaterError(verdict.reason, Math.max(1_000, verdict.retryAt.getTime() - Date.now()));

  try {
    await throttle?.(message.channel);
  } catch (error) {
    throw new RetryLaterError(`The send-rate throttle is unavailable: ${(error as Error).message}`);
  }

  if (!(await outbox(strapi).markSending(message.id, provider.name, message))) {
    throw new RetryLaterError('Another attempt is sending this message');
  }
  try {
    const { providerMessageId } = await provider.send({
      channel: message.channel,
      to: message.to,
      subject: message.subject ?? undefined,
      body: message.body,
      html: message.html ?? undefined,
      headers: message.headers,
      reference: String(message.id),
    });
    await outbox(strapi).markSent(message.id, providerMessageId);
    return { status: 'sent', messageId, provider: provider.name, providerMessageId };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error; // no answer: left `sending`, so the next attempt asks first
    await outbox(strapi).markFailed(message.id, error.message);
    if (error.permanent) throw new PermanentJobError(error.message, { cause: error });
    throw error;
  }
};
