import type { Knex } from 'knex';
import type { Language } from '../../../shared/contracts/crm';
import type { TemplateValues } from './template';

export type CampaignContext = { byLanguage: Record<Language, TemplateValues>; eventTimeZone: string | null };

/**
 * The values every fan of a campaign shares (its event's title and page in each language, its artist,
 * the brand), read once per fan-out. Published rows only: a fan never gets a draft's title.
 */
export async function campaignContext(
  knex: Knex,
  { eventRef, artistRef, siteUrl, brandName }: { eventRef: string | null; artistRef: string | null; siteUrl: string; brandName: string }
): Promise<CampaignContext> {
  const events = eventRef
    ? ((await knex('events').where({ document_id: eventRef }).whereNotNull('published_at').select('locale', 'title', 'slug', 'starts_at', 'timezone')) as Record<string, unknown>[])
    : [];
  const artist = artistRef ? ((await knex('artists').where({ document_id: artistRef }).whereNotNull('published_at').first('name')) as { name: string } | undefined) : undefined;
  const values = (language: Language): TemplateValues => {
    const event = events.find((row) => row.locale === language) ?? events.find((row) => row.locale === 'en') ?? events[0];
    const zone = (event?.timezone as string | undefined) ?? 'UTC';
    return {
      'brand.name': brandName,
      'artist.name': artist?.name,
      'event.title': event?.title as string | undefined,
      'event.url': event ? `${siteUrl}${language === 'es' ? '/es' : ''}/events/${event.slug}` : undefined,
      'event.date': event?.starts_at
        ? new Intl.DateTimeFormat(language === 'es' ? 'es-ES' : 'en-US', { dateStyle: 'long', timeStyle: 'short', timeZone: zone }).format(new Date(event.starts_at as string))
        : undefined,
    };
  };
  return { byLanguage: { en: values('en'), es: values('es') }, eventTimeZone: (events[0]?.timezone as string | undefined) ?? null };
}

/** The artist each fan first voted for (`{{fan.first_vote_artist}}`), for a batch of fans in one query. */
export async function firstVoteArtists(knex: Knex, fanRefs: string[]): Promise<Map<string, string>> {
  if (fanRefs.length === 0) return new Map();
  const rows = (await knex('sms_voting_votes as v')
    .join('lineup_entries as l', 'l.document_id', 'v.entry_ref')
    .join('artists as a', 'a.document_id', 'l.artist_ref')
    .whereIn('v.fan_ref', fanRefs)
    .whereNotNull('a.published_at')
    .orderBy([{ column: 'v.fan_ref' }, { column: 'v.created_at' }, { column: 'v.id' }])
    .select('v.fan_ref', 'a.name')) as { fan_ref: string; name: string }[];
  const first = new Map<string, string>();
  for (const row of rows) if (!first.has(row.fan_ref)) first.set(row.fan_ref, row.name);
  return first;
}
