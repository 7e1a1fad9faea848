import type { Core } from '@strapi/strapi';
import type { Owner } from '../utils/owner';

type StoredSession = { sessionId: string };
type OriginSessions = {
  listSessions(userId: string): Promise<StoredSession[]>;
  revokeSessionById(userId: string, sessionId: string): Promise<boolean>;
};

const ORIGIN: Record<Owner['kind'], string> = { admin: 'admin', user: 'users-permissions' };

/**
 * The owner's sign-in sessions (Strapi's session manager, one origin for admins, one for API users).
 * Turning two-factor on or off changes what it takes to sign in, so every session opened under the
 * old rule ends, but the one making the change.
 */
const createSessions = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Ends every session of the owner except `keep`; answers how many ended. */
  async endOthers(owner: Owner, keep?: string): Promise<number> {
    const manager = (strapi.sessionManager as unknown as (origin: string) => OriginSessions)(ORIGIN[owner.kind]);
    const userId = String(owner.id);
    const others = (await manager.listSessions(userId)).filter((session) => session.sessionId !== keep);
    const ended = await Promise.all(others.map((session) => manager.revokeSessionById(userId, session.sessionId)));
    return ended.filter(Boolean).length;
  },
});

export type SessionsService = ReturnType<typeof createSessions>;
export default createSessions;
