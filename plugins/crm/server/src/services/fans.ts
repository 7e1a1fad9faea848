import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { AttendanceView, ConsentView, ErasureReport, FanExport, FanProfile, FanSummary, MessageView, RevealedContact, VoteView } from '../../../shared/contracts/privacy';
import { TABLES } from '../segments/tables';
import { consentLedger, fans as fanDirectory, recordAudit } from '../utils/cms';
import { invalid } from '../utils/validation';

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const FAN_SUBJECT = 'api::fan.fan';

/** A searched phone number in E.164 or a lower-cased email, or a 400 naming what is wanted. */
export function normaliseIdentifier(query: string): { kind: 'phone' | 'email'; value: string } {
  const text = query.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return { kind: 'email', value: text.toLowerCase() };
  const phone = parsePhoneNumberFromString(text);
  if (phone?.isValid()) return { kind: 'phone', value: phone.number };
  throw invalid('q', 'give a phone number in international form (+1 212 555 0100) or an email address');
}

/** An erased fan's rows keep their place (one vote per round, one attendance per event) under a reference nobody can follow back. */
const anonymousRef = () => `erased-${crypto.randomBytes(9).toString('base64url')}`;

/**
 * One fan as marketing and privacy requests see them: found by the lookup hash of their number or
 * address (never by decrypting every row), their history, their tags set, their contact details
 * revealed, exported or erased, each of the last four recorded in the audit trail.
 */
const createFans = ({ strapi }: { strapi: Core.Strapi }) => {
  const db = () => strapi.db.connection;

  const fanRow = async (id: number, knex: Knex = db(), { lock = false } = {}) => {
    const query = knex(TABLES.fans).where({ id });
    // Erasure holds the row until it commits: a second erasure of the same fan waits, then finds none.
    if (lock && strapi.db.dialect.client === 'postgres') query.forUpdate();
    const row = (await query.first()) as Row | undefined;
    if (!row) throw new errors.NotFoundError('No such fan');
    return row;
  };
  const decrypt = (row: Row) => ({
    phone: row.phone_encrypted ? fanDirectory(strapi).phoneOf(row as { phone_encrypted: string }) : null,
    email: row.email_encrypted ? fanDirectory(strapi).emailOf(row as { email_encrypted: string }) : null,
  });
  const summary = (row: Row): FanSummary => {
    const email = row.email_encrypted ? fanDirectory(strapi).mask(fanDirectory(strapi).emailOf(row as { email_encrypted: string })) : null;
    return {
      id: Number(row.id),
      documentId: row.document_id as string,
      phone: (row.phone_masked as string | null) ?? null,
      email,
      language: row.language === 'es' ? 'es' : 'en',
      country: (row.country as string | null) ?? null,
      tags: ((json(row.tags) as string[] | null) ?? []).filter((tag) => typeof tag === 'string'),
      firstSeen: iso(row.first_seen),
    };
  };
  const subjects = (row: Row) => [row.phone_hash, row.email_hash].filter((hash): hash is string => typeof hash === 'string' && hash.length > 0);

  /** One title per event, the English published one first. */
  const events = async (refs: string[]) => {
    if (refs.length === 0) return new Map<string, { title: string | null; slug: string | null }>();
    const rows = (await db()('events').whereIn('document_id', refs).orderByRaw("CASE WHEN locale = 'en' THEN 0 ELSE 1 END").orderByRaw('published_at IS NULL').select('document_id', 'title', 'slug')) as Row[];
    const byRef = new Map<string, { title: string | null; slug: string | null }>();
    for (const row of rows) if (!byRef.has(row.document_id as string)) byRef.set(row.document_id as string, { title: (row.title as string) ?? null, slug: (row.slug as string) ?? null });
    return byRef;
  };

  const history = async (row: Row): Promise<Omit<FanProfile, 'fan'>> => {
    const ref = row.document_id as string;
    const hashes = subjects(row);
    const [consentRows, attendanceRows, voteRows, messageRows] = await Promise.all([
      hashes.length ? db()(TABLES.consent).whereIn('subject_hash', hashes).orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'id', order: 'desc' }]).select('channel', 'purpose', 'action', 'source', 'evidence', 'occurred_at') : [],
      db()(TABLES.attendances).where({ fan_ref: ref }).orderBy('created_at', 'desc').select('event_ref', 'source', 'created_at'),
      db()(`${TABLES.votes} as v`)
        .leftJoin(db()('rounds').distinct('document_id', 'number').as('r'), 'r.document_id', 'v.round_ref')
        .where('v.fan_ref', ref)
        .orderBy('v.created_at', 'desc')
        .select('v.event_ref', 'v.round_ref', 'r.number', 'v.entry_ref', 'v.vote_code', 'v.channel', 'v.created_at'),
      hashes.length ? db()(TABLES.messages).whereIn('recipient_hash', hashes).orderBy('id', 'desc').limit(500).select('id', 'channel', 'purpose', 'topic', 'state', 'subject', 'body', 'error', 'sent_at', 'created_at') : [],
    ]) as [Row[], Row[], Row[], Row[]];
    const titles = await events([...new Set([...attendanceRows, ...voteRows].map((r) => r.event_ref as string))]);
    return {
      consents: consentRows.map((r): ConsentView => ({ channel: r.channel as ConsentView['channel'], purpose: r.purpose as string, action: r.action as ConsentView['action'], source: r.source as string, evidence: json(r.evidence) ?? null, occurredAt: iso(r.occurred_at) as string })),
      attendances: attendanceRows.map((r): AttendanceView => ({ eventRef: r.event_ref as string, eventTitle: titles.get(r.event_ref as string)?.title ?? null, eventSlug: titles.get(r.event_ref as string)?.slug ?? null, source: r.source as string, joinedAt: iso(r.created_at) })),
      votes: voteRows.map((r): VoteView => ({ eventRef: r.event_ref as string, eventTitle: titles.get(r.event_ref as string)?.title ?? null, roundRef: r.round_ref as string, roundNumber: r.number === null || r.number === undefined ? null : Number(r.number), entryRef: r.entry_ref as string, voteCode: r.vote_code as string, channel: r.channel as string, votedAt: iso(r.created_at) })),
      messages: messageRows.map((r): MessageView => ({ id: Number(r.id), channel: r.channel as MessageView['channel'], purpose: (r.purpose as string) ?? null, topic: (r.topic as string) ?? null, state: r.state as string, subject: (r.subject as string) ?? null, body: r.body as string, error: (r.error as string) ?? null, sentAt: iso(r.sent_at), createdAt: iso(r.created_at) })),
    };
  };

  return {
    /** The fan with exactly this number or address, through its lookup hash. */
    async search(query: string): Promise<FanSummary[]> {
      const identifier = normaliseIdentifier(query);
      const hash = fanDirectory(strapi).lookupHashOf(identifier.value);
      const rows = (await db()(TABLES.fans).where(identifier.kind === 'phone' ? 'phone_hash' : 'email_hash', hash).limit(1)) as Row[];
      return rows.map(summary);
    },

    async profile(id: number): Promise<FanProfile> {
      const row = await fanRow(id);
      return { fan: summary(row), ...(await history(row)) };
    },

    /** The contact details in clear, for a viewer allowed to see them; recorded as `crm.fan.reveal`. */
    async reveal(id: number): Promise<RevealedContact> {
      const row = await fanRow(id);
      await strapi.db.transaction(() => recordAudit(strapi, { action: 'crm.fan.reveal', subject: FAN_SUBJECT, id: row.document_id as string, details: { fan: Number(row.id) } }));
      return decrypt(row);
    },

    /** Replaces the fan's tags (what segments' tag rules read); recorded as `crm.fan.tags` with what changed. */
    async setTags(id: number, tags: string[]): Promise<FanSummary> {
      return strapi.db.transaction(async ({ trx }) => {
        const row = await fanRow(id, trx, { lock: true });
        const before = summary(row).tags;
        await trx(TABLES.fans).where({ id }).update({ tags: JSON.stringify(tags), updated_at: new Date() });
        const added = tags.filter((tag) => !before.includes(tag));
        const removed = before.filter((tag) => !tags.includes(tag));
        if (added.length || removed.length) await recordAudit(strapi, { action: 'crm.fan.tags', subject: FAN_SUBJECT, id: row.document_id as string, details: { fan: Number(row.id), added, removed } });
        return summary({ ...row, tags });
      });
    },

    /** Everything held about the fan (a subject access request); recorded as `crm.fan.export`. */
    async exportOne(id: number): Promise<FanExport> {
      const row = await fanRow(id);
      // The fan's own copy: their number and address in clear, in place of the masks.
      const data: FanExport = { exportedAt: new Date().toISOString(), fan: { ...summary(row), ...decrypt(row) }, ...(await history(row)) };
      await strapi.db.transaction(() => recordAudit(strapi, { action: 'crm.fan.export', subject: FAN_SUBJECT, id: row.document_id as string, details: { fan: Number(row.id) } }));
      return data;
    },

    /**
     * Erases the fan, in one transaction with its audit entry: the fan row (number, address, their
     * hashes and ciphertexts) is deleted; votes and attendances stay, counted, under anonymous
     * references; outbox rows lose their recipient (and any still waiting are suppressed); inbound
     * messages lose their sender and body; the consent ledger keeps one opt-out per channel under the
     * subject hash, so the number is never messaged again (README, "Privacy").
     */
    async erase(id: number, confirm: string): Promise<ErasureReport> {
      return strapi.db.transaction(async ({ trx }) => {
        const knex = trx as unknown as Knex;
        const row = await fanRow(id, knex, { lock: true });
        const ref = row.document_id as string;
        // The page asks the person to type the fan's id: a slip of the mouse erases nobody.
        if (confirm !== ref) throw invalid('confirm', 'type the fan’s id to confirm the erasure');
        const hashes = subjects(row);
        const anonymise = async (table: string) => {
          const ids = (await knex(table).where({ fan_ref: ref }).forUpdate().pluck('id')) as number[];
          for (const rowId of ids) await knex(table).where({ id: rowId }).update({ fan_ref: anonymousRef() });
          return ids.length;
        };
        const votesAnonymised = await anonymise(TABLES.votes);
        const attendancesAnonymised = await anonymise(TABLES.attendances);
        await knex(TABLES.voteTokens).where({ fan_ref: ref }).delete();
        // Their email sign-ups (double opt-in) hold the address sealed and hashed: gone with them.
        await knex(TABLES.emailSignups).where({ fan_ref: ref }).delete();
        if (hashes.length) await knex(TABLES.emailSignups).whereIn('email_hash', hashes).delete();
        const now = new Date();
        let messagesCleared = 0;
        let inboundCleared = 0;
        if (hashes.length) {
          await knex(TABLES.messages).whereIn('recipient_hash', hashes).whereIn('state', ['queued', 'sending']).update({ state: 'suppressed', error: 'The recipient was erased', updated_at: now });
          messagesCleared = await knex(TABLES.messages).whereIn('recipient_hash', hashes).update({ recipient_hash: 'erased', recipient_masked: 'erased', recipient_encrypted: null, updated_at: now });
          inboundCleared = row.phone_hash ? await knex(TABLES.inbound).where({ from_hash: row.phone_hash }).update({ from_hash: null, body: null, updated_at: now }) : 0;
        }
        const ledger: { subjectHash: string; channel: 'sms' | 'email' }[] = [];
        if (row.phone_hash) ledger.push({ subjectHash: row.phone_hash as string, channel: 'sms' });
        if (row.email_hash) ledger.push({ subjectHash: row.email_hash as string, channel: 'email' });
        const { removed } = await consentLedger(strapi).eraseSubjects(ledger);
        await knex(TABLES.fans).where({ id }).delete();
        const report: ErasureReport = { erased: ref, votesAnonymised, attendancesAnonymised, messagesCleared, inboundCleared, consentRecordsRemoved: removed };
        await recordAudit(strapi, { action: 'crm.fan.erase', subject: FAN_SUBJECT, id: ref, details: { ...report } });
        return report;
      });
    },
  };
};

export type FansService = ReturnType<typeof createFans>;
export default createFans;
