/** Table names of the rows the voting path reads and writes directly (the hot path skips the Document Service). */
export const TABLES = {
  events: 'events',
  rounds: 'rounds',
  lineup: 'lineup_entries',
  artists: 'artists',
  /** Strapi's upload plugin: the files, and which row's media field holds which file. */
  files: 'files',
  mediaLinks: 'files_related_mph',
  fans: 'fans',
  attendances: 'sms_voting_attendances',
  tokens: 'sms_voting_vote_tokens',
  votes: 'sms_voting_votes',
  inbound: 'sms_voting_inbound_messages',
  suspicious: 'sms_voting_suspicious_activities',
} as const;

/** The columns Strapi expects on every row, for rows inserted with the query builder. */
export function rowStamps(documentId: string, now = new Date()) {
  return { document_id: documentId, created_at: now, updated_at: now, published_at: now };
}
