/** Emitted once an artist's claim status changed (written directly, not through the Document Service): the cms's content cache listens. */
export const CLAIM_STATUS_CHANGED = 'artist-portal.claim-status.changed';
