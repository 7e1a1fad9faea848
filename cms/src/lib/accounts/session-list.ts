import type { Core } from '@strapi/strapi';
import { sanitizeSessionEntry, sortSessionsForDisplay } from '@strapi/utils';

type StoredSession = { sessionId: string; metadata?: Record<string, unknown> | null };
type Origin = 'admin' | 'users-permissions';

/**
 * One account's active sessions as its owner sees them, admin or users-permissions alike: Strapi's
 * entry (device, sign-in, last use, which one is this) and the masked address it signed in from.
 */
export async function ownSessions(strapi: Core.Strapi, origin: Origin, userId: string, currentSessionId: string | undefined) {
  const sessions = (await strapi.sessionManager(origin).listSessions(userId)) as StoredSession[];
  return sortSessionsForDisplay(
    sessions.map((session) => ({
      ...sanitizeSessionEntry(session as never, currentSessionId),
      ip: typeof session.metadata?.ip === 'string' ? session.metadata.ip : undefined,
    }))
  );
}
