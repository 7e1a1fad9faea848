/**
 * The route config that refuses drafts (src/policies/published-only.ts) on a content-API read. A new
 * object for each route: Strapi writes the route's permission scope into its config, and routes that
 * shared one object all ended up checking the first route's scope (a token allowed to read artists
 * could read events, and one allowed to read events could not).
 */
export const publishedOnly = () => ({ policies: ['global::published-only'] });

/**
 * Rows without drafts of their own that are facts of a document with drafts, by the relation to it:
 * public only while that document is published (a round or a lineup entry of an event nobody
 * published yet is as unpublished as the event). An entry's artist is not one of them: an entry with an
 * unpublished artist is public with no artist (`artist: null`), as the voting plugin's leaderboard shows it.
 */
export const PART_OF: Record<string, string> = {
  'api::round.round': 'event',
  'api::lineup-entry.lineup-entry': 'event',
};

export type Auth = { strategy?: { name?: string }; credentials?: { type?: string } };

const TOKEN_STRATEGIES = ['api-token', 'content-api-token'];

/** Only a full-access API token (the admin's previews, trusted integrations) may read drafts. */
export const maySeeDrafts = (auth?: Auth) =>
  TOKEN_STRATEGIES.includes(auth?.strategy?.name ?? '') && auth?.credentials?.type === 'full-access';
