import { factories } from '@strapi/strapi';
import { batchedByTurn, knexFor, OUTBOX_TABLE, scrubText, sendJobKey, writeOutbox, type OutboundMessage } from '@ovation/workers/jobs';
import { appPiiKeys, decryptPII } from '../../../lib/pii';

const UID = 'api::message.message';
const TABLE = OUTBOX_TABLE;

export type MessageState = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'unknown';
export const MESSAGE_STATES: MessageState[] = ['queued', 'sending', 'sent', 'failed', 'suppressed', 'unknown'];

/** What a producer says about one of its messages right before it is sent. */
export type SendVerdict = { send: true } | { send: false; suppress: string } | { send: false; retryAt: Date; reason: string };
/** Asked before each send of a purpose's messages: still wanted (a campaign cancelled?), and now (quiet hours)? */
export type SendGate = (message: { idempotencyKey: string; channel: 'sms' | 'email'; to: string; recipientHash: string }) => Promise<SendVerdict>;

/**
 * A producer's last touch to an email right before it is sent: the recipient's own links (an
 * unsubscribe link signed for this message) and headers (List-Unsubscribe), made at each attempt so
 * no stored message holds them.
 */
export type EmailDresser = (message: { id: number; idempotencyKey: string; body: string; html: string | null }) => Promise<{ body: string; html: string | null; headers: Record<string, string> }>;

/** Puts back the secret a producer masked in a message's stored body (a voting link), right before it is sent. */
export type SecretFiller = (message: { idempotencyKey: string; body: string }) => Promise<string>;

/**
 * The outbox: one row per SMS or email, written with its `message.send` job in one transaction and
 * moved along by the worker: queued → sending → sent (or failed, suppressed after an opt-out, or
 * unknown when an attempt may have been delivered and the provider cannot be asked).
 */
type SendingRow = Record<string, unknown>;

export default factories.createCoreService(UID, ({ strapi }) => {
  // The workers' busy path (never inside a transaction): the reads and writes of many messages that
  // reach the same step in one turn of the event loop go to the database as one statement each.
  const db = () => strapi.db.connection;
  const readTogether = batchedByTurn(async (ids: number[]) => {
    const rows = (await db()(TABLE)
      .whereIn('id', ids)
      .select('id', 'idempotency_key', 'channel', 'state', 'attempts', 'recipient_encrypted', 'recipient_hash', 'subject', 'body', 'html', 'purpose', 'sending_since')) as SendingRow[];
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  const startTogether = batchedByTurn(async (starts: { id: number; provider: string; seen: { state: MessageState; attempts: number } }[]) => {
    const now = new Date();
    const rows = (await db()(TABLE)
      .where((query) => {
        for (const start of starts) query.orWhere({ id: start.id, state: start.seen.state, attempts: start.seen.attempts });
      })
      .update({
        state: 'sending',
        provider: db().raw(`CASE id ${starts.map(() => 'WHEN ? THEN ?').join(' ')} END`, starts.flatMap((start) => [start.id, start.provider])),
        attempts: db().raw('attempts + 1'),
        sending_since: now,
        error: null,
        updated_at: now,
      })
      .returning(['id'])) as { id: number }[];
    // Two attempts at one message in the same turn: the row moved once, so only one of them goes on.
    const started = new Set(rows.map((row) => Number(row.id)));
    return starts.map((start) => started.delete(start.id));
  });
  const sentTogether = batchedByTurn(async (sent: { id: number; providerMessageId: string }[]) => {
    const now = new Date();
    await db()(TABLE)
      .whereIn('id', sent.map((message) => message.id))
      .update({
        state: 'sent',
        provider_message_id: db().raw(`CASE id ${sent.map(() => 'WHEN ? THEN ?').join(' ')} END`, sent.flatMap((message) => [message.id, message.providerMessageId])),
        sent_at: now,
        error: null,
        updated_at: now,
      });
    return sent.map(() => undefined);
  });

  // Bodies are stored as people may read them (editors open the outbox): a secret in them, such as a
  // voting link, is stored masked by its producer, which fills it in again for each attempt.
  const fillers = new Map<string, SecretFiller>();
  const gates = new Map<string, SendGate>();
  const dressers = new Map<string, EmailDresser>();

  return {
    /** Queues messages not seen before (by key) with their send jobs; returns how many were new. */
    async queue(messages: OutboundMessage[]) {
      return strapi.db.transaction(async () =>
        writeOutbox(await knexFor(strapi), appPiiKeys(), messages, (jobs) => strapi.plugin('ops').service('jobs').enqueueMany('message.send', jobs))
      );
    },

    /** Messages of this purpose hold a secret masked in their stored body: `fill` puts it back for sending. */
    fillSecretsWith(purpose: string, fill: SecretFiller) {
      fillers.set(purpose, fill);
    },

    /** Emails of this purpose are finished by `dress` right before each attempt (their own links and headers). */
    dressWith(purpose: string, dress: EmailDresser) {
      dressers.set(purpose, dress);
    },

    /** Messages of this purpose are sent only when `gate` says so, asked right before each send. */
    gateWith(purpose: string, gate: SendGate) {
      gates.set(purpose, gate);
    },

    /** Whether this message goes now: its purpose's gate decides, or it simply goes. */
    async verdict(message: { purpose: string; idempotencyKey: string; channel: 'sms' | 'email'; to: string; recipientHash: string }): Promise<SendVerdict> {
      const gate = gates.get(message.purpose);
      return gate ? gate(message) : { send: true };
    },

    /** What the worker needs to send it: the recipient decrypted, the body's secrets filled in. */
    async forSending(id: number) {
      const row = await readTogether(id);
      if (!row) return null;
      const fill = fillers.get(row.purpose as string);
      const filled = fill ? await fill({ idempotencyKey: row.idempotency_key as string, body: row.body as string }) : (row.body as string);
      const dress = row.channel === 'email' ? dressers.get(row.purpose as string) : undefined;
      const html = (row.html as string | null) ?? null;
      const { body, html: dressedHtml, headers } = dress
        ? await dress({ id: Number(row.id), idempotencyKey: row.idempotency_key as string, body: filled, html })
        : { body: filled, html, headers: {} as Record<string, string> };
      return {
        id: Number(row.id),
        idempotencyKey: row.idempotency_key as string,
        purpose: row.purpose as string,
        channel: row.channel as 'sms' | 'email',
        state: row.state as MessageState,
        attempts: Number(row.attempts),
        to: decryptPII(row.recipient_encrypted as string),
        recipientHash: row.recipient_hash as string,
        subject: (row.subject as string | null) ?? null,
        body,
        html: dressedHtml,
        headers,
        sendingSince: row.sending_since ? new Date(row.sending_since as string) : null,
      };
    },

    /**
     * About to call the provider: from here on, an interrupted attempt may have been delivered. Only
     * from the state the caller read (`seen`): false when another attempt moved the message meanwhile.
     */
    markSending(id: number, provider: string, seen: { state: MessageState; attempts: number }) {
      return startTogether({ id, provider, seen: { state: seen.state, attempts: seen.attempts } });
    },

    markSent(id: number, providerMessageId: string) {
      return sentTogether({ id, providerMessageId });
    },

    /** Not sent because the recipient opted out after it was queued. */
    async markSuppressed(id: number, reason: string) {
      await strapi.db.connection(TABLE).where({ id }).update({ state: 'suppressed', error: reason, updated_at: new Date() });
    },

    /** The provider answered and did not take it. Its words are kept for people, without the recipient they may name. */
    async markFailed(id: number, reason: string) {
      await strapi.db.connection(TABLE).where({ id }).update({ state: 'failed', error: scrubText(reason).slice(0, 2000), updated_at: new Date() });
    },

    /** An attempt may have been delivered and the provider cannot say: a person decides (Retry on the Jobs page). */
    async markUnknown(id: number, reason: string) {
      await strapi.db.connection(TABLE).where({ id }).update({ state: 'unknown', error: scrubText(reason).slice(0, 2000), updated_at: new Date() });
    },

    /** A person chose to send it again although an earlier attempt may have been delivered. */
    async allowResend(id: number) {
      await strapi.db.connection(TABLE)
        .where({ id })
        .whereIn('state', ['unknown', 'sending'])
        .update({ state: 'failed', error: 'Sent again at an admin’s request', updated_at: new Date() });
    },

    /** How many messages of a topic are in each state. */
    async progress(topic: string): Promise<Record<MessageState, number>> {
      const rows = (await strapi.db.connection(TABLE).where({ topic }).select('state').count({ count: '*' }).groupBy('state')) as { state: MessageState; count: number | string }[];
      const counts = Object.fromEntries(MESSAGE_STATES.map((state) => [state, 0])) as Record<MessageState, number>;
      for (const row of rows) counts[row.state] = Number(row.count);
      return counts;
    },

    /** Sends again the messages of a topic that failed (their jobs failed or died); returns how many. */
    async retryFailed(topic: string) {
      const keys = (await strapi.db.connection(TABLE).where({ topic }).whereIn('state', ['failed', 'queued', 'sending']).pluck('idempotency_key')) as string[];
      if (keys.length === 0) return 0;
      return (await strapi.plugin('ops').service('jobs').retry({ keys: keys.map(sendJobKey) })).length;
    },
  };
});
