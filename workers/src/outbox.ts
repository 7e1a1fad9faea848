import crypto from 'crypto';
import type { Knex } from './durable/strapi-db';
import { maskIdentifier, piiLookupHash, sealPII, type PiiKeys } from './pii';

/** The cms's outbox (`api::message.message`): one row per SMS or email, with its `message.send` job. */
export const OUTBOX_TABLE = 'messages';

export type OutboundMessage = {
  /** The same key always means the same message: queueing it again changes nothing. */
  idempotencyKey: string;
  channel: 'sms' | 'email';
  /** E.164 phone number or email address: stored encrypted, never put in a job or in Redis. */
  to: string;
  subject?: string;
  /** The text (an SMS, or an email's plain-text part). */
  body: string;
  /** An email's HTML part, when it has one. */
  html?: string;
  /** Why it is sent (vote-link, round-open, campaign…): shown in the admin. */
  purpose: string;
  /** Messages sent together (a round's notifications), for their progress. */
  topic?: string;
  /** Sent no earlier than this (quiet hours: a night-time send waits for the fan's morning). */
  notBefore?: Date;
};

/** The job that sends a message: one per message, keyed by the message's own key. */
export const sendJobKey = (idempotencyKey: string) => `message.send:${idempotencyKey}`;

/** The `message.send` jobs of the messages just written, for the caller's job queue. */
export type SendJobs = { payload: { messageId: number }; key: string; dueAt?: Date }[];

const CHUNK = 500;

/**
 * Writes the messages not seen before (by key) with `knex`, the caller's transaction, and hands their
 * send jobs to `enqueue` in it: the cms's outbox service and the workers' database-only fan-out both
 * queue messages through here. Returns how many were new.
 */
export async function writeOutbox(knex: Knex, keys: PiiKeys, messages: OutboundMessage[], enqueue: (jobs: SendJobs) => Promise<unknown>) {
  const now = new Date();
  let queued = 0;
  for (let start = 0; start < messages.length; start += CHUNK) {
    const chunk = messages.slice(start, start + CHUNK);
    const rows = chunk.map((message) => ({
      document_id: crypto.randomBytes(12).toString('hex'),
      idempotency_key: message.idempotencyKey,
      channel: message.channel,
      recipient_masked: maskIdentifier(message.to),
      recipient_hash: piiLookupHash(keys, message.to),
      recipient_encrypted: sealPII(keys, message.to),
      subject: message.subject ?? null,
      body: message.body,
      html: message.html ?? null,
      purpose: message.purpose,
      topic: message.topic ?? null,
      state: 'queued',
      attempts: 0,
      created_at: now,
      updated_at: now,
      published_at: now,
    }));
    const inserted = (await knex(OUTBOX_TABLE).insert(rows).onConflict('idempotency_key').ignore().returning(['id', 'idempotency_key'])) as { id: number; idempotency_key: string }[];
    const notBefore = new Map(chunk.map((message) => [message.idempotencyKey, message.notBefore]));
    await enqueue(inserted.map((row) => ({ payload: { messageId: Number(row.id) }, key: sendJobKey(row.idempotency_key), dueAt: notBefore.get(row.idempotency_key) })));
    queued += inserted.length;
  }
  return { queued, existing: messages.length - queued };
}
