/**
 * A request's URL as it may be written to a log: voting tokens and artists' claim tokens in paths
 * (`/api/sms-voting/tokens/<token>`, `/api/artist-portal/claims/<token>`) and secrets in query strings (email confirmations, reset codes, tokens) are replaced, since a
 * logged link is as good as the link itself.
 */
const SECRET_SEGMENT = /(\/(?:tokens|claims?)\/)[^/?#]+/g;
const SECRET_PARAMS = /^(?:token|access_token|code|confirmation|secret|key|signature|password)$/i;

export function redactUrl(url: string): string {
  const [path, query] = url.split(/\?(.*)/s, 2);
  const safePath = path.replace(SECRET_SEGMENT, '$1[redacted]');
  if (query === undefined) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const [name] = pair.split('=', 1);
      return SECRET_PARAMS.test(decodeURIComponent(name).replace(/\[.*$/, '')) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}
