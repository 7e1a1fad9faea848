import type { Core } from '@strapi/strapi';
import { knexFor } from '../utils/db';
import { newDocumentId, subjectKey } from '../utils/ids';
import { phonePrefix } from '../utils/phone';
import { pluginConfig } from '../utils/plugin-config';
import { TABLES, rowStamps } from '../utils/tables';
import { getService } from '../utils/get-service';

type Kind = 'join_burst_prefix' | 'vote_burst_ip';
const WINDOW_MS = 60_000;
// Past its first record, a burst's count is written at most this often per subject and process:
// every web vote from a venue's shared address would otherwise cost a database write of its own.
const RECOUNT_MS = 1_000;

type BurstRow = { kind: Kind; subject: string; eventRef?: string; count: number; windowStart: number };

/**
 * Notices bursts (many joins from one number prefix, many web votes from one address) and records
 * each burst once per minute for an editor to review. It never blocks anyone by itself: rate limits do.
 */
const createAbuse = ({ strapi }: { strapi: Core.Strapi }) => {
  const recounts = new Map<string, { timer: NodeJS.Timeout; row: BurstRow }>();

  const record = async ({ kind, subject, eventRef, count, windowStart }: BurstRow) => {
    await (await knexFor(strapi))(TABLES.suspicious)
      .insert({
        ...rowStamps(newDocumentId()),
        kind,
        subject,
        event_ref: eventRef ?? null,
        count,
        window_started_at: new Date(windowStart),
        reviewed: false,
      })
      .onConflict(['kind', 'subject', 'window_started_at'])
      .merge(['count', 'updated_at']);
  };

  const writeRecount = (key: string) => {
    const queued = recounts.get(key);
    recounts.delete(key);
    if (queued) return record(queued.row).catch((error) => strapi.log.warn(`sms-voting: burst count not written: ${error}`));
  };

  const note = async (kind: Kind, subject: string, threshold: number, eventRef?: string) => {
    const windowStart = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
    const redis = getService(strapi, 'redis');
    // The subject (a number's prefix, an address) is counted in Redis under its keyed hash only.
    const key = redis.key('burst', kind, subjectKey(strapi.config.get('server.app.keys') as string[], subject), windowStart);
    const count = await redis.client().countInWindow(key, WINDOW_MS * 2);
    if (count <= threshold) return false;
    const row = { kind, subject, eventRef, count, windowStart };
    // The burst is on the review list as soon as it crosses the threshold; its count follows within a second.
    if (count === threshold + 1) {
      await record(row);
      return true;
    }
    const burst = `${kind}:${subject}:${windowStart}`;
    const queued = recounts.get(burst);
    if (queued) {
      if (count > queued.row.count) queued.row = row;
      return true;
    }
    const timer = setTimeout(() => void writeRecount(burst), RECOUNT_MS);
    timer.unref();
    recounts.set(burst, { timer, row });
    return true;
  };

  return {
    /** Writes the counts still waiting (on shutdown). */
    async flush() {
      const keys = [...recounts.keys()];
      for (const key of keys) clearTimeout(recounts.get(key)!.timer);
      await Promise.all(keys.map(writeRecount));
    },

    noteJoin(eventRef: string, e164: string) {
      return note('join_burst_prefix', phonePrefix(e164), pluginConfig(strapi).abuse.joinsPerPrefix, eventRef);
    },
    noteWebVote(ip: string, eventRef: string) {
      return note('vote_burst_ip', ip, pluginConfig(strapi).abuse.webVotesPerIp, eventRef);
    },
    async list({ eventRef, includeReviewed = false }: { eventRef?: string; includeReviewed?: boolean } = {}) {
      const query = (await knexFor(strapi))(TABLES.suspicious).orderBy('window_started_at', 'desc').limit(200);
      if (eventRef) query.where({ event_ref: eventRef });
      if (!includeReviewed) query.where({ reviewed: false });
      const rows = await query.select('id', 'kind', 'subject', 'event_ref', 'count', 'window_started_at', 'reviewed');
      return rows.map((row: Record<string, unknown>) => ({
        id: Number(row.id),
        kind: row.kind as Kind,
        subject: row.subject as string,
        eventRef: (row.event_ref as string | null) ?? null,
        count: Number(row.count),
        windowStartedAt: new Date(row.window_started_at as string | number).toISOString(),
        reviewed: Boolean(row.reviewed),
      }));
    },
    async markReviewed(id: number) {
      return (await knexFor(strapi))(TABLES.suspicious).where({ id }).update({ reviewed: true, updated_at: new Date() });
    },
  };
};

export type AbuseService = ReturnType<typeof createAbuse>;
export default createAbuse;
