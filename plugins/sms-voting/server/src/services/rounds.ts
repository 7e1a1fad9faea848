import type { Core } from '@strapi/strapi';
import { knexFor } from '../utils/db';
import { createJobProducer, type JobProducer } from '@ovation/workers/jobs';
import { consent, fans, type Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { describeCodes, reply, voteLink } from '../utils/replies';
import { TABLES } from '../utils/tables';
import type { RoundSummary } from './directory';

const PAGE = 500;

/**
 * Opening and closing rounds, by an editor or on schedule. Every change is a conditional update, so
 * any number of cms instances may run the schedule and each round opens (and notifies fans) once.
 */
const createRounds = ({ strapi }: { strapi: Core.Strapi }) => {
  let producer: JobProducer | undefined;
  const jobs = () => (producer ??= createJobProducer({ redisUrl: pluginConfig(strapi).redisUrl }));
  const knex = () => knexFor(strapi);

  const changed = async (eventRef: string) => {
    getService(strapi, 'directory').clear();
    await getService(strapi, 'leaderboard').notifyChanged(eventRef);
  };

  const load = async (roundRef: string): Promise<RoundSummary | null> => {
    const row = await (await knex())(TABLES.rounds).where({ document_id: roundRef }).first('event_ref');
    if (!row) return null;
    getService(strapi, 'directory').clear();
    return (await getService(strapi, 'directory').rounds(row.event_ref)).find((round) => round.documentId === roundRef) ?? null;
  };

  return {
    /** Opens a pending round (closing any other open round of its event) and queues the fans' notifications. */
    async open(roundRef: string, { notify = true }: { notify?: boolean } = {}) {
      const round = await load(roundRef);
      if (!round) return { opened: false, reason: 'not_found' as const };
      const now = new Date();
      const opened = await strapi.db.transaction(async ({ trx }) => {
        const count = await trx(TABLES.rounds)
          .where({ document_id: roundRef, status: 'pending' })
          .update({ status: 'open', opens_at: round.opensAt && round.opensAt < now ? round.opensAt : now, updated_at: now });
        if (count > 0) {
          await trx(TABLES.rounds)
            .where({ event_ref: round.eventRef, status: 'open' })
            .whereNot({ document_id: roundRef })
            .update({ status: 'closed', updated_at: now });
        }
        return count > 0;
      });
      if (!opened) return { opened: false, reason: 'not_pending' as const };
      await changed(round.eventRef);
      await getService(strapi, 'leaderboard').rebuild(roundRef);
      if (notify) await jobs().enqueue('round.notify', { roundRef }, { id: `round-notify:${roundRef}` });
      return { opened: true };
    },

    async close(roundRef: string) {
      const round = await load(roundRef);
      if (!round) return { closed: false, reason: 'not_found' as const };
      const now = new Date();
      const count = await (await knex())(TABLES.rounds).where({ document_id: roundRef, status: 'open' }).update({ status: 'closed', closes_at: now, updated_at: now });
      if (count === 0) return { closed: false, reason: 'not_open' as const };
      await getService(strapi, 'leaderboard').rebuild(roundRef);
      await changed(round.eventRef);
      return { closed: true };
    },

    /** Opens rounds whose opens_at has come, closes those whose closes_at has passed. */
    async applySchedule(now = new Date()) {
      const due = await (await knex())(TABLES.rounds)
        .where({ status: 'pending' })
        .where('opens_at', '<=', now)
        .where((q) => q.whereNull('closes_at').orWhere('closes_at', '>', now))
        .select('document_id');
      const expired = await (await knex())(TABLES.rounds).where({ status: 'open' }).where('closes_at', '<=', now).select('document_id');
      for (const { document_id } of expired) await this.close(document_id);
      for (const { document_id } of due) await this.open(document_id);
      return { opened: due.length, closed: expired.length };
    },

    /**
     * Texts every fan who joined the round's event and has not opted out their own voting link, through
     * the workers. Safe to run again: links and message keys are derived from the round and the fan.
     */
    async notifyRoundOpen(roundRef: string) {
      const round = await load(roundRef);
      if (!round || round.status !== 'open') return { queued: 0, skipped: 0 };
      const event = await getService(strapi, 'directory').eventById(round.eventRef);
      if (!event) return { queued: 0, skipped: 0 };
      const codes = (await getService(strapi, 'directory').lineup(event.documentId)).map((entry) => entry.code);

      let queued = 0;
      let skipped = 0;
      for (let afterId = 0; ; ) {
        const page = await (await knex())(`${TABLES.attendances} as a`)
          .join(`${TABLES.fans} as f`, 'f.document_id', 'a.fan_ref')
          .where('a.event_ref', event.documentId)
          .where('a.id', '>', afterId)
          .orderBy('a.id')
          .limit(PAGE)
          .select('a.id', 'f.document_id as fan_ref', 'f.phone_encrypted', 'f.language');
        if (page.length === 0) break;
        afterId = page[page.length - 1].id;

        for (const fan of page) {
          const phone = fans(strapi).phoneOf(fan);
          if (!(await consent(strapi).allows(phone, 'sms'))) {
            skipped += 1;
            continue;
          }
          const language: Language = fan.language === 'es' ? 'es' : 'en';
          const token = await getService(strapi, 'tokens').issueStable({ fanRef: fan.fan_ref, eventRef: event.documentId, round });
          await jobs().enqueue('message.send', {
            channel: 'sms',
            to: phone,
            body: reply(language, 'roundOpen', {
              round: round.number,
              event: getService(strapi, 'directory').titleOf(event, language),
              codes: describeCodes(codes, language),
              link: voteLink(pluginConfig(strapi).siteUrl, language, token),
            }),
            purpose: 'round-open',
            idempotencyKey: `round-open:${round.documentId}:${fan.fan_ref}`,
          });
          queued += 1;
        }
      }
      return { queued, skipped };
    },

    async shutdown() {
      await producer?.close();
      producer = undefined;
    },
  };
};

export type RoundsService = ReturnType<typeof createRounds>;
export default createRounds;
