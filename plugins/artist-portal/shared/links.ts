import type { LinkPlatform } from './contracts';

/** Hosts of the platforms artists link to most; any other https address is the artist's website. */
const PLATFORM_HOSTS: [LinkPlatform, RegExp][] = [
  ['spotify', /^(open\.)?spotify\.com$/],
  ['apple_music', /^music\.apple\.com$/],
  ['youtube', /^((www|m|music)\.)?youtube\.com$|^youtu\.be$/],
  ['instagram', /^(www\.)?instagram\.com$/],
  ['tiktok', /^(www\.)?tiktok\.com$/],
  ['bandcamp', /^([a-z0-9-]+\.)?bandcamp\.com$/],
];

export type LinkCheck = { ok: true; platform: LinkPlatform; url: string } | { ok: false; reason: string };

/** An address an artist typed: https only, a real host, no credentials; its platform recognised from the host. */
export function checkArtistLink(raw: string): LinkCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'is not a web address' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must start with https://' };
  if (url.username || url.password) return { ok: false, reason: 'must not hold a user name or password' };
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname)) return { ok: false, reason: 'needs a domain name' };
  if (url.href.length > 500) return { ok: false, reason: 'is longer than 500 characters' };
  const host = url.hostname.toLowerCase();
  const platform = PLATFORM_HOSTS.find(([, pattern]) => pattern.test(host))?.[0] ?? 'website';
  return { ok: true, platform, url: url.href };
}
