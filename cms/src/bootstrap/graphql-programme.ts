import type { Core } from '@strapi/strapi';
import { artistsIn, lineupOf, roundsOf, type Reading, type RelationQuery } from '../lib/programme';

type Row = Record<string, unknown> & { id?: number; documentId: string };
type Args = Record<string, unknown>;
type Context = { state: { auth?: unknown } };

const LINEUP = 'api::lineup-entry.lineup-entry';

/** How a lineup entry given out by `Event.lineup` was read, so its artist comes in the event's language. */
const READING = Symbol('reading');
type Entry = Row & { [READING]?: Reading };

const readingOf = (event: Row): Reading => ({
  locale: (event.locale as string | undefined) ?? 'en',
  status: event.publishedAt ? 'published' : 'draft',
});

/**
 * GraphQL's `Event.rounds`, `Event.lineup` (and their `_connection`s) and `LineupEntry.artist`.
 * Strapi resolves associations through the event row's own links, which exist for English only
 * (lib/programme.ts); these read them as REST does. The arguments are checked and sanitised exactly
 * as Strapi's own association resolver does, and the auth scopes Strapi set on these fields still apply.
 */
export function resolveProgrammeInGraphQL(strapi: Core.Strapi) {
  const extension = strapi.plugin('graphql')?.service('extension');
  if (!extension) return;

  const queryOf = async (uid: string, args: Args, context: Context): Promise<RelationQuery> => {
    const { transformArgs } = strapi.plugin('graphql').service('builders').utils;
    const contentType = strapi.getModel(uid as never);
    const transformed = transformArgs(args, { contentType, usePagination: true });
    await strapi.contentAPI.validate.query(transformed, contentType, { auth: context.state.auth });
    return (await strapi.contentAPI.sanitize.query(transformed, contentType, { auth: context.state.auth })) as RelationQuery;
  };

  const rounds = async (event: Row, args: Args, context: Context) => {
    const query = await queryOf('api::round.round', args, context);
    return (await roundsOf(strapi, [event.documentId], query, readingOf(event))).get(event.documentId) ?? [];
  };

  const lineup = async (event: Row, args: Args, context: Context) => {
    const query = await queryOf(LINEUP, args, context);
    const reading = readingOf(event);
    const entries = ((await lineupOf(strapi, [event.documentId], query, reading)).get(event.documentId) ?? []) as Entry[];
    for (const entry of entries) entry[READING] = reading;
    return entries;
  };

  const connection = (resourceUID: string, nodes: (event: Row, args: Args, context: Context) => Promise<Row[]>) =>
    async (event: Row, args: Args, context: Context) => ({ nodes: await nodes(event, args, context), info: { args, resourceUID } });

  // Entries read any other way (a `lineupEntries` query) give their artist in the default locale.
  const artist = async (entry: Entry) => {
    const ref =
      (entry.artist_ref as string | undefined) ??
      ((await strapi.db.query(LINEUP).findOne({ where: { id: entry.id }, select: ['artist_ref'] })) as { artist_ref?: string } | null)?.artist_ref;
    if (!ref) return null;
    const reading = entry[READING] ?? { locale: 'en', status: 'published' };
    return (await artistsIn(strapi, [ref], {}, reading)).get(ref) ?? null;
  };

  extension.use({
    resolvers: {
      Event: {
        rounds,
        rounds_connection: connection('api::round.round', rounds),
        lineup,
        lineup_connection: connection(LINEUP, lineup),
      },
      LineupEntry: { artist },
    },
  });
}
