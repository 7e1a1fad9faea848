import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export const TABLES = {
  invitations: 'artist_portal_invitations',
  accounts: 'artist_portal_accounts',
  changes: 'artist_portal_profile_changes',
  artists: 'artists',
  messages: 'messages',
  events: 'events',
  lineup: 'lineup_entries',
  votes: 'sms_voting_votes',
  attendances: 'sms_voting_attendances',
} as const;

/** The query builder of the transaction in progress, if any, else the pool. */
export async function knexFor(strapi: Core.Strapi): Promise<Knex> {
  if (!strapi.db.inTransaction()) return strapi.db.connection;
  return strapi.db.transaction(async ({ trx }) => trx);
}
