/**
 * Session lifetimes for admins and users-permissions accounts alike, in seconds, from the
 * environment: a session ends after SESSION_IDLE_MINUTES without use (default 30) and
 * SESSION_MAX_HOURS after sign-in whatever happens (default 12). Access tokens are short
 * (ACCESS_TOKEN_MINUTES, default 5): a revoked session's access token is refused at once anyway
 * (src/bootstrap/session-rules.ts), the short life only bounds a stolen one.
 */
export function sessionLifespans(env: NodeJS.ProcessEnv = process.env) {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${env[name]}"`);
    return value;
  };
  const idle = Math.round(number('SESSION_IDLE_MINUTES', 30) * 60);
  const max = Math.round(number('SESSION_MAX_HOURS', 12) * 3600);
  return {
    accessTokenLifespan: Math.round(number('ACCESS_TOKEN_MINUTES', 5) * 60),
    idleRefreshTokenLifespan: idle,
    idleSessionLifespan: idle,
    maxRefreshTokenLifespan: max,
    maxSessionLifespan: max,
  };
}

/** Sessions one account may hold at once (SESSIONS_PER_USER, default 3): a new sign-in ends the least recently used. */
export const sessionsPerUser = (env: NodeJS.ProcessEnv = process.env) => Math.max(1, Number(env.SESSIONS_PER_USER || 3));

/** An address as a session shows it: enough to recognise a network, not to find a person (IPv4 /24, IPv6 /48). */
export function maskAddress(address: string | undefined) {
  if (!address) return undefined;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(address);
  if (v4) return `${v4[1]}.x`;
  const groups = address.split(':').filter(Boolean);
  return groups.length >= 3 ? `${groups.slice(0, 3).join(':')}::/48` : undefined;
}
