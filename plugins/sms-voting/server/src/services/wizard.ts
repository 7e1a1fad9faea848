import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { KeywordAvailability, WizardResult } from '../../../shared/contracts';
import { isReservedWord } from '../utils/commands';
import { knexFor } from '../utils/db';
import { TABLES } from '../utils/tables';
import { wizardRuleIssues, type WizardSubmission } from '../utils/wizard-rules';

type Path = (string | number)[];
type Issue = { path: string[]; message: string; name: 'ValidationError' };

const EVENT = 'api::event.event';
const ROUND = 'api::round.round';
const ENTRY = 'api::lineup-entry.lineup-entry';
const ARTIST = 'api::artist.artist';
const LOCALES = ['en', 'es'] as const;

/** Thrown after a dry run's writes, so the transaction rolls them back. */
class DryRun extends Error {
  constructor(readonly result: WizardResult) {
    super('dry run');
  }
}

const refuse = (issues: Issue[]) => new errors.ValidationError(issues[0]?.message ?? 'Invalid event', { errors: issues });
// Paths are strings, as Strapi's own validation and utils/validation.ts write them (['lineup', '3', 'voteCode']).
const issue = (path: Path, message: string): Issue => ({ path: path.map(String), message, name: 'ValidationError' });

const slugify = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

/** The event's columns as the wizard names them (a Strapi error on `starts_at` belongs to `startsAt`). */
const DETAIL_FIELDS: Record<string, string> = {
  title: 'title',
  description: 'description',
  venue: 'venue',
  city: 'city',
  timezone: 'timezone',
  starts_at: 'startsAt',
  ends_at: 'endsAt',
  keyword: 'keyword',
  capacity: 'capacity',
  results_visibility: 'resultsVisibility',
  privacy_mode: 'privacyMode',
};

/**
 * Runs one write of the submission; a refusal of it (Strapi's validation, a unique index) comes
 * back at the wizard's field instead of as a 500, and still rolls the whole transaction back.
 */
async function at<T>(path: Path, write: () => Promise<T>, fields?: Record<string, string>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const inner = (error as { details?: { errors?: { path: Path; message: string }[] } }).details?.errors?.[0];
    if (error instanceof errors.ApplicationError) {
      const field = inner?.path?.[0] !== undefined && fields ? fields[String(inner.path[0])] : undefined;
      throw refuse([issue(field ? [...path, field] : path, inner?.message ?? error.message)]);
    }
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23505') throw refuse([issue(path, `Already used in this event (${constraint ?? 'unique'})`)]);
    throw error;
  }
}

/**
 * The event wizard's writes: the event in English and Spanish, its rounds, its lineup and any new
 * artists, through the Document Service inside one `strapi.db.transaction` (the repository joins
 * the transaction in progress, and its lifecycle events, webhooks and audit entries, commit or roll
 * back with it), so a submission is saved whole or not at all.
 */
const createWizard = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexFor(strapi);

  /** Why an event (`documentId`, when it exists) may not use a keyword; null when it may. */
  const keywordProblem = async (keyword: string, documentId?: string): Promise<{ problem: KeywordAvailability['problem']; message: string } | null> => {
    const word = keyword.trim().toUpperCase();
    if (!/^[A-Z0-9]{2,20}$/.test(word)) return { problem: 'invalid', message: '2 to 20 letters or digits' };
    if (isReservedWord(word)) return { problem: 'reserved', message: 'This word is an SMS command' };
    const owner = await (await knex())(TABLES.events)
      .where({ keyword: word })
      .modify((query) => documentId && query.whereNot({ document_id: documentId }))
      .first('title');
    if (owner) return { problem: 'taken', message: `Used by the event “${owner.title}”` };
    const code = await (await knex())(TABLES.lineup)
      .where({ vote_code: word })
      .modify((query) => documentId && query.whereNot({ event_ref: documentId }))
      .first('id');
    if (code) return { problem: 'vote_code', message: 'Another event uses this word as a vote code' };
    return null;
  };

  /** What only the database knows: keywords and codes of other events. */
  const crossEventIssues = async (input: WizardSubmission, documentId?: string) => {
    const issues: Issue[] = [];
    const keyword = await keywordProblem(input.details.keyword, documentId);
    if (keyword) issues.push(issue(['details', 'keyword'], keyword.message));
    const codes = input.lineup.map((entry) => entry.voteCode);
    const keywords = await (await knex())(TABLES.events)
      .whereIn('keyword', codes)
      .modify((query) => documentId && query.whereNot({ document_id: documentId }))
      .distinct('keyword');
    const taken = new Set(keywords.map((row: { keyword: string }) => row.keyword));
    input.lineup.forEach((entry, index) => {
      if (taken.has(entry.voteCode)) issues.push(issue(['lineup', index, 'voteCode'], 'Another event uses this word as its keyword'));
    });
    return issues;
  };

  const uniqueSlug = async (table: string, text: string, fallback: string) => {
    const base = slugify(text) || fallback;
    for (let n = 1; ; n += 1) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await (await knex())(table).where({ slug }).first('id'))) return slug;
    }
  };

  const eventData = (input: WizardSubmission, locale: 'en' | 'es') => {
    const { details } = input;
    return {
      title: details.title[locale],
      description: details.description[locale] || null,
      venue: details.venue || null,
      city: details.city || null,
      timezone: details.timezone,
      starts_at: details.startsAt,
      ends_at: details.endsAt,
      keyword: details.keyword,
      capacity: details.capacity,
      results_visibility: details.resultsVisibility,
      privacy_mode: details.privacyMode,
    };
  };

  /** The event's own rows: rounds and entries by document id, with what a removal must respect. */
  const existingParts = async (documentId: string) => {
    const db = await knex();
    const rounds = await db(TABLES.rounds).where({ event_ref: documentId }).select('document_id', 'number', 'state');
    const entries = await db(TABLES.lineup).where({ event_ref: documentId }).select('document_id', 'vote_code');
    const voted = await db(TABLES.votes).where({ event_ref: documentId }).distinct('entry_ref');
    return {
      rounds: new Map(rounds.map((row: { document_id: string; number: number; state: string }) => [row.document_id, row])),
      entries: new Map(entries.map((row: { document_id: string; vote_code: string }) => [row.document_id, row])),
      voted: new Set(voted.map((row: { entry_ref: string }) => row.entry_ref)),
    };
  };

  async function writeRounds(input: WizardSubmission, eventId: string, existing?: Awaited<ReturnType<typeof existingParts>>) {
    const kept = new Set(input.rounds.map((round) => round.documentId).filter(Boolean));
    if (existing) {
      for (const [documentId, row] of existing.rounds) {
        if (kept.has(documentId)) continue;
        if (row.state !== 'pending') throw refuse([issue(['rounds'], `Round ${row.number} has opened, so it cannot be removed`)]);
        await strapi.documents(ROUND).delete({ documentId });
      }
      // Numbers are unique per event: rounds that change number step aside first, so two can swap.
      for (const [index, round] of input.rounds.entries()) {
        const row = round.documentId ? existing.rounds.get(round.documentId) : undefined;
        if (round.documentId && !row) throw refuse([issue(['rounds', index, 'number'], 'This round is not one of this event’s')]);
        if (row && row.number !== round.number) await strapi.documents(ROUND).update({ documentId: round.documentId!, data: { number: 1_000_000 + index } as never });
      }
    }
    for (const [index, round] of input.rounds.entries()) {
      const row = round.documentId ? existing?.rounds.get(round.documentId) : undefined;
      // A round that has opened keeps the times it opened (and closed) at.
      const times = row && row.state !== 'pending' ? {} : { opens_at: round.opensAt, closes_at: round.closesAt };
      const data = { event: eventId, number: round.number, title: round.title.en || null, title_es: round.title.es || null, ...times };
      const fields = { number: 'number', opens_at: 'opensAt', closes_at: 'closesAt', title: 'title', title_es: 'title' };
      await at(['rounds', index], () =>
        round.documentId ? strapi.documents(ROUND).update({ documentId: round.documentId, data: data as never }) : strapi.documents(ROUND).create({ data: data as never }), fields);
    }
  }

  async function writeLineup(input: WizardSubmission, eventId: string, existing?: Awaited<ReturnType<typeof existingParts>>) {
    const newArtists: string[] = [];
    const kept = new Set(input.lineup.map((entry) => entry.documentId).filter(Boolean));
    if (existing) {
      for (const [documentId, row] of existing.entries) {
        if (kept.has(documentId)) continue;
        if (existing.voted.has(documentId)) throw refuse([issue(['lineup'], `Vote code ${row.vote_code} has votes, so it cannot be removed`)]);
        await strapi.documents(ENTRY).delete({ documentId });
      }
      for (const [index, entry] of input.lineup.entries()) {
        const row = entry.documentId ? existing.entries.get(entry.documentId) : undefined;
        if (entry.documentId && !row) throw refuse([issue(['lineup', index, 'voteCode'], 'This entry is not one of this event’s')]);
        if (row && row.vote_code !== entry.voteCode) {
          if (existing.voted.has(entry.documentId!)) throw refuse([issue(['lineup', index, 'voteCode'], 'This vote code has votes, so it cannot change')]);
          await strapi.documents(ENTRY).update({ documentId: entry.documentId!, data: { vote_code: `Z${index}X${Date.now().toString(36)}`.slice(0, 10) } as never });
        }
      }
    }
    for (const [index, entry] of input.lineup.entries()) {
      let artistId = entry.artist.documentId;
      if (artistId) {
        const found = await strapi.db.query(ARTIST).findOne({ where: { documentId: artistId }, select: ['id'] });
        if (!found) throw refuse([issue(['lineup', index, 'artist'], 'This artist no longer exists')]);
      } else {
        const name = entry.artist.name!.trim();
        const slug = await uniqueSlug(TABLES.artists, name, 'artist');
        const created = await at(['lineup', index, 'artist'], () =>
          strapi.documents(ARTIST).create({ locale: 'en', data: { name, slug, claim_status: 'unclaimed' } as never }));
        artistId = created.documentId;
        newArtists.push(artistId);
      }
      const data = { event: eventId, artist: artistId, vote_code: entry.voteCode, order: index };
      await at(['lineup', index, 'voteCode'], () =>
        entry.documentId ? strapi.documents(ENTRY).update({ documentId: entry.documentId, data: data as never }) : strapi.documents(ENTRY).create({ data: data as never }));
    }
    return newArtists;
  }

  /** Writes the whole submission in one transaction; `dryRun` checks every rule, writes included, then rolls back. */
  async function save(input: WizardSubmission, { documentId, dryRun = false }: { documentId?: string; dryRun?: boolean } = {}): Promise<WizardResult | null> {
    try {
      return await strapi.db.transaction(async () => {
        const rows = documentId ? await (await knex())(TABLES.events).where({ document_id: documentId, locale: 'en' }).select('slug', 'phase', 'published_at') : [];
        if (documentId && rows.length === 0) return null;
        // Two saves claiming one keyword at once wait for each other here, so the check below sees the
        // first one's row (Strapi's `unique` on the keyword is checked by the application, not by an index).
        if (strapi.db.dialect.client === 'postgres') await (await knex()).raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`event-keyword:${input.details.keyword}`]);
        const before = rows.length ? { slug: rows[0].slug as string, phase: rows[0].phase as string, published: rows.some((row: { published_at: unknown }) => row.published_at) } : null;
        const existing = documentId ? await existingParts(documentId) : undefined;
        const started = new Set([...(existing?.rounds.values() ?? [])].filter((row) => row.state !== 'pending').map((row) => row.document_id));
        const issues = [...wizardRuleIssues(input, started).map(({ path, message }) => issue(path, message)), ...(await crossEventIssues(input, documentId))];
        if (issues.length) throw refuse(issues);

        const slug = before?.slug ?? (await uniqueSlug(TABLES.events, input.details.title.en, 'event'));
        const phase = input.publish && (!before || before.phase === 'draft') ? 'scheduled' : (before?.phase ?? 'draft');
        let eventId = documentId;
        for (const locale of LOCALES) {
          const data = { ...eventData(input, locale), slug, phase };
          await at(['details'], async () => {
            if (eventId) await strapi.documents(EVENT).update({ documentId: eventId, locale, data: data as never });
            else eventId = (await strapi.documents(EVENT).create({ locale, data: data as never })).documentId;
          }, DETAIL_FIELDS);
        }
        await writeRounds(input, eventId!, existing);
        const newArtists = await writeLineup(input, eventId!, existing);
        if (input.publish) {
          await at(['details'], () => strapi.documents(EVENT).publish({ documentId: eventId!, locale: '*' }), DETAIL_FIELDS);
          for (const artist of newArtists) await strapi.documents(ARTIST).publish({ documentId: artist, locale: 'en' });
        }
        const result = { documentId: eventId!, slug, published: input.publish || Boolean(before?.published) };
        if (dryRun) throw new DryRun(result);
        return result;
      });
    } catch (error) {
      if (error instanceof DryRun) return error.result;
      throw error;
    }
  }

  return {
    keywordProblem,
    save,

    async availability(keyword: string, documentId?: string): Promise<KeywordAvailability> {
      const found = await keywordProblem(keyword, documentId);
      return { keyword: keyword.trim().toUpperCase(), available: !found, problem: found?.problem ?? null };
    },
  };
};

export type WizardService = ReturnType<typeof createWizard>;
export default createWizard;
