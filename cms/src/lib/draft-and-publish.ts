/** Content types with drafts, whose unpublished versions the public must never read. */
export const PUBLISHABLE = ['api::event.event', 'api::artist.artist', 'api::post.post'] as const;

export const PUBLISHED_ONLY = { policies: ['global::published-only'] };
