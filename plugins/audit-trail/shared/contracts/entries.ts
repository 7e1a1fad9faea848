import type { EntryContent } from '../../server/src/utils/entry';
import type { ChainReport } from '../../server/src/utils/verify-chain';

/** Who can act: an admin, an API token, a users-permissions user, a fan (by subject key), nobody signed in, a job, a script. */
export const ACTOR_KINDS = ['admin', 'api-token', 'user', 'fan', 'public', 'job', 'script'] as const;
/** Where a change came from. */
export const ORIGINS = ['admin', 'content-api', 'graphql', 'worker', 'script'] as const;
/** What an entry records. */
export const ACTIONS = [
  // Document writes.
  'create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone',
  // Operations recorded by the code that does them (ledger.record, chain.recordOperation): a backup
  // asked for, one taken, one restored.
  'backup.request', 'backup.run', 'backup.restore',
  // Sign-ins and sessions (a failure by the account tried, when it exists).
  'admin.login', 'admin.logout', 'admin.session.revoke', 'admin.password.forgot', 'admin.password.reset', 'admin.register',
  'user.login', 'user.register', 'user.password.forgot', 'user.password.reset', 'user.session.revoke',
  // Sessions ended by the account rules (a new password, a block, the per-account limit).
  'session.end',
  // Accounts, roles and permissions.
  'admin.user.create', 'admin.user.update', 'admin.user.delete',
  'admin.role.create', 'admin.role.update', 'admin.role.delete', 'admin.role.permissions',
  'user.role.create', 'user.role.update', 'user.role.delete',
  // API and transfer tokens (never their value).
  'api-token.create', 'api-token.regenerate', 'api-token.update', 'api-token.revoke',
  'transfer-token.create', 'transfer-token.regenerate', 'transfer-token.update', 'transfer-token.revoke',
  // A fan's consent, a voting round opened or closed.
  'consent.opt-in', 'consent.opt-out', 'round.open', 'round.close',
  // A content-API write refused by Strapi's authentication or permissions, before any handler ran.
  'access.denied',
  // Two-factor sign-in (plugins/two-factor's events): enrolled, a code accepted or refused, an account
  // locked, a recovery code used, a new set of them, turned off by its owner or reset by someone else.
  'two-factor.enrolled', 'two-factor.verified', 'two-factor.failed', 'two-factor.locked',
  'two-factor.recovery-code-used', 'two-factor.new-recovery-codes', 'two-factor.disabled', 'two-factor.reset',
  // The trail's own operations: a signed checkpoint written, entries purged by retention, an export.
  'audit.checkpoint', 'audit.purge', 'audit.export',
  // A webhook subscription disabled by its deliveries' failures (410 Gone, or days of failures).
  'webhook.disable',
  // The CRM's privacy operations (plugins/crm): a fan's contact details revealed, their tags set, a fan
  // exported or erased, a bulk export of attendees, votes or messages, a retention purge of message bodies.
  'crm.fan.reveal', 'crm.fan.tags', 'crm.fan.export', 'crm.fan.erase', 'crm.export', 'crm.retention',
] as const;

/** `GET /audit-trail/entries`: one entry as the admin API serves it: what it says, and its hash. */
export type AuditEntry = EntryContent & { hash: string };

/** Newest first; `nextCursor` fetches the entries after the last one, null at the end. */
export type ListEntriesResponse = { data: AuditEntry[]; meta: { nextCursor: string | null } };

/** `POST /audit-trail/verify`: the whole chain walked now (as `npm run audit:verify`). */
export type VerifyResponse = { data: ChainReport };
