/**
 * Public origin of the site, from `SITE_URL` (e.g. https://ovation.example), read at
 * request time. Used for canonical and hreflang links, which should be absolute.
 * Without it, links stay root-relative: the request's Host header is not trusted.
 */
export function siteUrl(path: string): string {
  const origin = process.env.SITE_URL?.trim();
  if (!origin) return path;
  try {
    return new URL(path, origin).href;
  } catch {
    return path;
  }
}
