/**
 * The content anyone may read over REST and GraphQL (published versions only). Every other type is
 * personal or internal and has no content-API route or GraphQL query at all.
 */
export const PUBLIC_CONTENT = [
  'api::event.event',
  'api::round.round',
  'api::artist.artist',
  'api::lineup-entry.lineup-entry',
  'api::post.post',
] as const;

export const isPublicContent = (uid: string) => (PUBLIC_CONTENT as readonly string[]).includes(uid);
