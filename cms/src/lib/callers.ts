import crypto from 'crypto';
import net from 'net';

/**
 * Who is calling the cms, for rate limits and stream caps. The site is a proxy for fans: it
 * authenticates with the site token and names the fan's address it saw itself, so per-client
 * limits count fans, not the site. A forwarded address is believed only from the site.
 *
 * The site sends these headers from site/src/lib/cms.ts (its own copy of the two names: the site
 * does not import the cms); a test drives votes through the real site to hold the two together.
 */
export const SITE_TOKEN_HEADER = 'x-ovation-site-token';
export const CLIENT_ADDRESS_HEADER = 'x-ovation-client-address';

export type Caller =
  /** Anyone calling the cms directly, by their address (behind TRUST_PROXY, the load balancer's view). */
  | { kind: 'direct'; address: string }
  /** A fan, through the site, by the address the site saw. */
  | { kind: 'fan'; address: string }
  /** The site itself (its shared work: reconnecting the one live stream per event it keeps for all fans). */
  | { kind: 'site' };

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/** Compares a presented site token with the configured one in constant time. */
export function siteTokenMatcher(siteToken: string | undefined) {
  const expected = siteToken ? digest(siteToken) : undefined;
  return (presented: string) => expected !== undefined && crypto.timingSafeEqual(digest(presented), expected);
}

export class CallerError extends Error {
  constructor(message: string, readonly status: 400 | 401) {
    super(message);
  }
}

/**
 * The caller of a request, from its direct address and the site's two headers. A wrong site token
 * or a forwarded address that is not an IP address is refused (a misconfigured site should fail
 * loudly, not quietly share one budget among every fan).
 */
export function identifyCaller(
  request: { address: string; siteToken?: string; clientAddress?: string },
  isSiteToken: (presented: string) => boolean,
): Caller {
  if (!request.siteToken) return { kind: 'direct', address: request.address };
  if (!isSiteToken(request.siteToken)) throw new CallerError('The site token is not valid', 401);
  if (!request.clientAddress) return { kind: 'site' };
  if (!net.isIP(request.clientAddress)) throw new CallerError(`${CLIENT_ADDRESS_HEADER} must be an IP address`, 400);
  return { kind: 'fan', address: request.clientAddress };
}
