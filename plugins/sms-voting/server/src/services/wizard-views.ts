import type { Core } from '@strapi/strapi';
import type { ArtistChoice, EventListItem, EventWizardInput } from '../../../shared/contracts';
import { knexFor } from '../utils/db';
import { LIST_ITEM_COLUMNS, toListItem } from './dashboard';
import { TABLES } from '../utils/tables';

/** What the event wizard reads: an event as it edits it, the drafts it lists, the artists it offers. */
const createWizardViews = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexFor(strapi);
  return {
    /** Events never published (the wizard's drafts, and any made in the Content Manager), newest first. */
    async drafts(): Promise<EventListItem[]> {
      const db = await knex();
      const rows = await db(TABLES.events)
        .where({ locale: 'en' })
        .whereNull('published_at')
        .whereNotIn('document_id', db(TABLES.events).whereNotNull('published_at').select('document_id'))
        .orderBy('created_at', 'desc')
        .select(LIST_ITEM_COLUMNS);
      return rows.map(toListItem);
    },

    async artists(): Promise<ArtistChoice[]> {
      const rows = await (await knex())(TABLES.artists).where({ locale: 'en' }).whereNull('published_at').orderBy('name').select('document_id', 'name');
      return rows.map((row: { document_id: string; name: string }) => ({ documentId: row.document_id, name: row.name }));
    },

    /** The event as the wizard edits it: the drafts of both locales, its rounds and its lineup. */
    async load(documentId: string): Promise<(EventWizardInput & { documentId: string; published: boolean }) | null> {
      const db = await knex();
      const rows = await db(TABLES.events).where({ document_id: documentId }).whereNull('published_at').select('*');
      const en = rows.find((row: { locale: string }) => row.locale === 'en');
      if (!en) return null;
      const es = rows.find((row: { locale: string }) => row.locale === 'es') ?? {};
      const published = Boolean(await db(TABLES.events).where({ document_id: documentId }).whereNotNull('published_at').first('id'));
      const rounds = await db(TABLES.rounds).where({ event_ref: documentId }).orderBy('number').select('*');
      const entries = await db(TABLES.lineup)
        .leftJoin(TABLES.artists, function join() {
          this.on(`${TABLES.artists}.document_id`, '=', `${TABLES.lineup}.artist_ref`).andOnNull(`${TABLES.artists}.published_at`).andOnVal(`${TABLES.artists}.locale`, '=', 'en');
        })
        .where(`${TABLES.lineup}.event_ref`, documentId)
        .orderBy(`${TABLES.lineup}.order`)
        .select(`${TABLES.lineup}.document_id`, `${TABLES.lineup}.vote_code`, `${TABLES.lineup}.artist_ref`, `${TABLES.artists}.name`);
      const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : '');
      return {
        documentId,
        published,
        publish: published,
        details: {
          title: { en: en.title ?? '', es: es.title ?? '' },
          description: { en: en.description ?? '', es: es.description ?? '' },
          venue: en.venue ?? '',
          city: en.city ?? '',
          timezone: en.timezone,
          startsAt: iso(en.starts_at),
          endsAt: iso(en.ends_at),
          keyword: en.keyword ?? '',
          capacity: en.capacity ?? null,
          resultsVisibility: en.results_visibility,
          privacyMode: en.privacy_mode,
        },
        rounds: rounds.map((row: Record<string, unknown>) => ({
          documentId: row.document_id as string,
          number: Number(row.number),
          title: { en: (row.title as string) ?? '', es: (row.title_es as string) ?? '' },
          opensAt: iso(row.opens_at),
          closesAt: iso(row.closes_at),
        })),
        lineup: entries.map((row: Record<string, string>) => ({
          documentId: row.document_id,
          artist: { documentId: row.artist_ref, name: row.name ?? '' },
          voteCode: row.vote_code,
        })),
      };
    },
  };
};

export type WizardViewsService = ReturnType<typeof createWizardViews>;
export default createWizardViews;
