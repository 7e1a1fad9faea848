/**
 * Where an uploaded picture is served from, and the initials shown when there is none. Pure and
 * browser-safe: the live islands resolve the pictures that arrive with standings the same way pages do.
 */

/**
 * An upload's URL as a browser fetches it: a path on the CMS (the local upload provider) is joined to
 * `cmsPublicUrl`; a full http(s) URL (S3, a CDN) is kept; anything else is refused.
 */
export function resolveMediaUrl(url: unknown, cmsPublicUrl: string): string | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  if (url.startsWith('/uploads/')) return `${cmsPublicUrl.replace(/\/$/, '')}${url}`;
  if (!/^https?:\/\//i.test(url.trim())) return undefined;
  try {
    return new URL(url.trim()).href;
  } catch {
    return undefined;
  }
}

/** "Luna Vega" → "LV": the first letters of the first two words that start with a letter. */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word))
    .slice(0, 2)
    .map((word) => word[0])
    .join('')
    .toUpperCase();
}
