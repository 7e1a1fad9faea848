import type { Core } from '@strapi/strapi';
import { ROUND_CHANGED } from '../utils/events';
import { asJob, auditTrail } from '@ovation/workers/jobs';
import { knexFor } from '../utils/db';
import { consent, fans, jobs, outbox, type Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { MASKED_TOKEN, describeCodes, reply, revealVoteLinks, voteLink } from '../utils/replies';
import { TABLES } from '../utils/tables';
import type { RoundSummary } from './directory';

const PAGE = 500;
const ROUND = 'api::round.round';

/** The job that notifies a round's fans when it opens, and the purpose, topic and keys of the messages it queues. */
export const notifyJobKey = (roundRef: string) => `round.notify:${roundRef}`;
export const NOTIFICATION_PURPOSE = 'round-open';
export const notificationTopic = (roundRef: string) => `round-open:${roundRef}`;
const notificationKey = (roundRef: string, fanRef: string) => `round-open:${roundRef}:${fanRef}`;
const NOTIFICATION_KEY = /^round-open:([^:]+):([^:]+)$/;

/**
 * Opening and closing rounds, by an editor or on schedule. Every change is a conditional update, so
 * any number of cms instances may run the schedule and each round opens (and notifies fans) once.
 */
const createRounds = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexFor(strapi);
  // The schedule's timer: one per service instance (one per app), so a second app in the same
  // process (the tests, a worker loading the app) has its own, stopped with its own destroy.
  let scheduleTimer: NodeJS.Timeout | undefined;

  // After a round changed (committed): live pages and the board hear of it. Redis may be away; the
  // board is rebuilt from PostgreSQL on its next read, so a failure here is only logged.
  const changed = async (eventRef: string, roundRef: string) => {
    getService(strapi, 'directory').clear();
    try {
      // Rounds are written here without the Document Service: whoever keeps copies of them (the
      // cms's cached public reads) is told before the change is answered.
      await strapi.eventHub.emit(ROUND_CHANGED, { event: eventRef, round: roundRef });
      await getService(strapi, 'leaderboard').rebuild(roundRef);
      await getService(strapi, 'leaderboard').notifyChanged(eventRef);
    } catch (error) {
      strapi.log.warn(`sms-voting: round ${roundRef} changed, live pages not told (Redis?): ${(error as Error).message}`);
    }
  };

  /**
   * A round opened or closed, in the transaction that changed it (the audit trail's ledger: the change
   * fails if its entry cannot be written), by whoever acts: the editor, or the schedule's job.
   */
  const audit = (action: 'round.open' | 'round.close', round: { documentId: string; eventRef: string; number: number }, details: Record<string, unknown> = {}) =>
    auditTrail(strapi)?.record({ action, subject: ROUND, id: round.documentId, details: { event: round.eventRef, number: round.number, ...details } });

  const load = async (roundRef: string): Promise<RoundSummary | null> => {
    const row = await (await knex())(TABLES.rounds).where({ document_id: roundRef }).first('event_ref');
    if (!row) return null;
    getService(strapi, 'directory').clear();
    return (await getService(strapi, 'directory').rounds(row.event_ref)).find((round) => round.documentId === roundRef) ?? null;
  };

  return {
    /**
     * Opens a pending round (closing any other open round of its event) and queues the fans'
     * notifications in the same transaction: an open round always has its notification job.
     */
    async open(roundRef: string, { notify = true }: { notify?: boolean } = {}) {
      const round = await load(roundRef);
      if (!round) return { opened: false, reason: 'not_found' as const };
      const now = new Date();
      const opened = await strapi.db.transaction(async ({ trx }) => {
        const count = await trx(TABLES.rounds)
          .where({ document_id: roundRef, state: 'pending' })
          .update({ state: 'open', opens_at: round.opensAt && round.opensAt < now ? round.opensAt : now, updated_at: now });
        if (count > 0) {
          const others = trx(TABLES.rounds).where({ event_ref: round.eventRef, state: 'open' }).whereNot({ document_id: roundRef });
          const closing = (await others.clone().select('document_id', 'number')) as { document_id: string; number: number }[];
          await others.update({ state: 'closed', updated_at: now });
          // The rounds it closed are closed for partners too (with their results), before it opens.
          for (const other of closing) {
            await audit('round.close', { documentId: other.document_id, eventRef: round.eventRef, number: other.number }, { because: `round ${round.number} opened` });
            await strapi.plugin('webhooks')?.service('events').emitRound('round.closed', { documentId: other.document_id, event: round.eventRef, number: other.number });
          }
          await audit('round.open', round);
          await strapi.plugin('webhooks')?.service('events').emitRound('round.opened', { documentId: roundRef, event: round.eventRef, number: round.number });
          if (notify) await jobs(strapi).enqueue('round.notify', { roundRef }, { key: notifyJobKey(roundRef) });
        }
        return count > 0;
      });
      if (!opened) return { opened: false, reason: 'not_pending' as const };
      await changed(round.eventRef, roundRef);
      return { opened: true };
    },

    async close(roundRef: string) {
      const round = await load(roundRef);
      if (!round) return { closed: false, reason: 'not_found' as const };
      const now = new Date();
      const count = await strapi.db.transaction(async ({ trx }) => {
        const closed = await trx(TABLES.rounds).where({ document_id: roundRef, state: 'open' }).update({ state: 'closed', closes_at: now, updated_at: now });
        if (closed > 0) await audit('round.close', round);
        if (closed > 0) await strapi.plugin('webhooks')?.service('events').emitRound('round.closed', { documentId: roundRef, event: round.eventRef, number: round.number });
        return closed;
      });
      if (count === 0) return { closed: false, reason: 'not_open' as const };
      await changed(round.eventRef, roundRef);
      return { closed: true };
    },

    /** Applies the schedule every `intervalMs` from now on (0: never); a second start replaces the first. */
    startSchedule(intervalMs: number) {
      this.stopSchedule();
      if (intervalMs <= 0) return;
      scheduleTimer = setInterval(() => {
        this.applySchedule().catch((error) => strapi.log.error(`sms-voting: round schedule failed: ${error}`));
      }, intervalMs);
      scheduleTimer.unref();
    },

    stopSchedule() {
      if (scheduleTimer) clearInterval(scheduleTimer);
      scheduleTimer = undefined;
    },

    /** Opens rounds whose opens_at has come, closes those whose closes_at has passed (as the job `round.schedule`). */
    applySchedule(now = new Date()) {
      return asJob(strapi, 'round.schedule', async () => {
        const due = await (await knex())(TABLES.rounds)
          .where({ state: 'pending' })
          .where('opens_at', '<=', now)
          .where((q) => q.whereNull('closes_at').orWhere('closes_at', '>', now))
          .select('document_id');
        const expired = await (await knex())(TABLES.rounds).where({ state: 'open' }).where('closes_at', '<=', now).select('document_id');
        for (const { document_id } of expired) await this.close(document_id);
        for (const { document_id } of due) await this.open(document_id);
        return { opened: due.length, closed: expired.length };
      });
    },

    /**
     * Queues to every fan who joined the round's event and has not opted out their own voting link,
     * a page of fans per transaction (messages and their send jobs together). Safe to run again:
     * message keys are derived from the round and the fan, so nothing is queued twice. The link is
     * stored masked (editors read the outbox) and filled in when the message is sent: see `fillLink`.
     * `resend` also sends again the round's messages that failed or died.
     */
    async notifyRoundOpen(roundRef: string, { resend = false }: { resend?: boolean } = {}) {
      const none = { queued: 0, existing: 0, skipped: 0, retried: 0 };
      const round = await load(roundRef);
      if (!round || round.state !== 'open') return none;
      const event = await getService(strapi, 'directory').eventById(round.eventRef);
      if (!event) return none;
      const codes = (await getService(strapi, 'directory').lineup(event.documentId)).map((entry) => entry.code);
      const topic = notificationTopic(round.documentId);

      const totals = { ...none };
      for (let afterId = 0; ; ) {
        const page = await (await knex())(`${TABLES.attendances} as a`)
          .join(`${TABLES.fans} as f`, 'f.document_id', 'a.fan_ref')
          .where('a.event_ref', event.documentId)
          .where('a.id', '>', afterId)
          .orderBy('a.id')
          .limit(PAGE)
          .select('a.id', 'f.document_id as fan_ref', 'f.phone_encrypted', 'f.phone_hash', 'f.language');
        if (page.length === 0) break;
        afterId = page[page.length - 1].id;

        const messages = [];
        for (const fan of page) {
          if (!(await consent(strapi).allowsSubject(fan.phone_hash, 'sms'))) {
            totals.skipped += 1;
            continue;
          }
          const language: Language = fan.language === 'es' ? 'es' : 'en';
          messages.push({
            channel: 'sms' as const,
            to: fans(strapi).phoneOf(fan),
            body: reply(language, 'roundOpen', {
              round: round.number,
              event: getService(strapi, 'directory').titleOf(event, language),
              codes: describeCodes(codes, language),
              link: voteLink(pluginConfig(strapi).siteUrl, language, MASKED_TOKEN),
            }),
            purpose: NOTIFICATION_PURPOSE,
            topic,
            idempotencyKey: notificationKey(round.documentId, fan.fan_ref),
          });
        }
        const { queued, existing } = await outbox(strapi).queue(messages);
        totals.queued += queued;
        totals.existing += existing;
      }
      if (resend) totals.retried = await outbox(strapi).retryFailed(topic);
      return totals;
    },

    /**
     * A notification as it is sent: its link carries the fan's token for the round, derived again
     * (issued on the first send), so every attempt sends the same text and the link votes.
     */
    async fillLink(message: { idempotencyKey: string; body: string }) {
      const [, roundRef, fanRef] = NOTIFICATION_KEY.exec(message.idempotencyKey) ?? [];
      const token = roundRef && (await getService(strapi, 'tokens').issue({ roundRef, fanRef }));
      if (!token) throw new Error(`No voting link for ${message.idempotencyKey}: its round no longer exists`);
      return revealVoteLinks(message.body, token);
    },

    /** Queues a second pass over an open round's fans: those never reached, and those whose message failed. */
    async resend(roundRef: string) {
      const round = await load(roundRef);
      if (!round) return { queued: false, reason: 'not_found' as const };
      if (round.state !== 'open') return { queued: false, reason: 'not_open' as const };
      await jobs(strapi).enqueue('round.notify', { roundRef, resend: true }, { key: `${notifyJobKey(roundRef)}:resend:${Date.now()}` });
      return { queued: true };
    },

    /** Where a round's notifications are: messages per status, and fans skipped because they opted out. */
    async notificationProgress(roundRef: string) {
      const counts = await outbox(strapi).progress(notificationTopic(roundRef));
      const job = await jobs(strapi).store.byKey(notifyJobKey(roundRef));
      const skipped = Number((job?.result as { skipped?: number } | null)?.skipped ?? 0);
      return { ...counts, skipped, job: job ? { state: job.state, lastError: job.lastError } : null };
    },
  };
};

export type RoundsService = ReturnType<typeof createRounds>;
export default createRounds;
