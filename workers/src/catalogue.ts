import { z } from 'zod';
import { BACKUP_ID } from './backup/manifest';
import { WEBHOOK_EVENT_TYPES } from './webhooks/event-types';

/**
 * Every job the platform runs, with its payload. Producers (the cms and its plugins) and consumers
 * (this package) share these schemas, so an enqueue with the wrong payload does not compile and a
 * malformed payload that arrives anyway is refused without retries.
 *
 * Payloads carry ids, never phone numbers, emails, message bodies or voting tokens: the handler reads
 * what it needs from PostgreSQL right before it acts (and Redis only ever sees a job's row id).
 */
export const jobSchemas = {
  /** Sends one outbox message (cms `api::message.message`): its recipient and body are in its row. */
  'message.send': z.object({
    messageId: z.number().int().positive(),
  }),
  /** A voting round opened: queue a message to each joined, consenting fan with their voting link. */
  'round.notify': z.object({
    roundRef: z.string().min(1).max(64),
    /** Re-send: also retry the messages of this round that failed or died. */
    resend: z.boolean().optional(),
  }),
  /** Backs up the database to S3, verifies the backup by restoring it, then applies retention. */
  'backup.run': z.object({
    backupId: z.string().regex(BACKUP_ID),
  }),
  /** Signs a checkpoint of the audit trail's head for one hourly slot (the slot's time, ISO-8601 UTC). */
  'audit.checkpoint': z.object({
    slot: z.string().datetime(),
  }),
  /** Purges the audit trail's entries older than AUDIT_RETENTION_DAYS (one daily slot). */
  'audit.purge': z.object({
    slot: z.string().datetime(),
  }),
  /**
   * A webhook event happened (a publish, a round opening): write one delivery per subscription that
   * wants it, each with its first `webhook.deliver` job. The body is the event as partners receive it,
   * public fields only (the event types' payloads), fixed when it was emitted, in the transaction of
   * the change that caused it.
   */
  'webhook.fanout': z.object({
    messageId: z.string().regex(/^msg_[A-Za-z0-9_-]{16,64}$/),
    type: z.enum(WEBHOOK_EVENT_TYPES),
    body: z.string().min(2).max(65_536),
  }),
  /** One attempt at one webhook delivery (an event for one subscription): its body, endpoint and secrets are in its rows. */
  'webhook.deliver': z.object({
    deliveryId: z.number().int().positive(),
  }),
  /** A webhook subscription was disabled after failing for days: email its owner through the outbox. */
  'webhook.notify': z.object({
    subscriptionId: z.number().int().positive(),
  }),
  /** Walks a campaign's segment in batches and queues one message per consenting fan (scheduled: due at its send time). */
  'campaign.fanout': z.object({
    campaignId: z.number().int().positive(),
  }),
  /** Purges inbound SMS bodies and settled outbox messages older than CRM_RETENTION_DAYS (one daily slot). */
  'crm.retention': z.object({
    slot: z.string().datetime(),
  }),
} as const;

export type JobName = keyof typeof jobSchemas;

/**
 * Jobs that use the app's services (its outbox, the voting plugin's rounds, the audit trail's signing
 * and retention, the outbox for webhook owners, the CRM's retention), so their worker loads Strapi.
 * The others need only the app's database (backups, webhook fan-outs and deliveries, campaign fan-outs): a worker
 * that runs only those never loads Strapi.
 */
export const APP_JOBS = ['message.send', 'round.notify', 'audit.checkpoint', 'audit.purge', 'webhook.notify', 'crm.retention'] as const satisfies readonly JobName[];
export type AppJobName = (typeof APP_JOBS)[number];
export const needsApp = (names: readonly JobName[]) => names.some((name) => (APP_JOBS as readonly JobName[]).includes(name));
export type JobPayloads = { [N in JobName]: z.infer<(typeof jobSchemas)[N]> };
export const JOB_NAMES = Object.keys(jobSchemas) as JobName[];
export const isJobName = (name: string): name is JobName => name in jobSchemas;
