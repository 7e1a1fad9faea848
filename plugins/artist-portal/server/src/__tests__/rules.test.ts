/** The portal's pure rules: links and their platforms, claim tokens, ranks, the CSV's cells. */
import { describe, expect, it } from 'vitest';
import { checkArtistLink } from '../../../shared/links';
import { claimToken, hashClaimToken, isClaimTokenShaped, signedFor } from '../utils/claim-tokens';
import { sniffImage } from '../utils/avatar';
import { dashboardCsv, rankOf } from '../services/dashboard';

describe('artist links', () => {
  it.each([
    ['https://open.spotify.com/artist/1', 'spotify'],
    ['https://music.apple.com/us/artist/x/1', 'apple_music'],
    ['https://www.youtube.com/@band', 'youtube'],
    ['https://youtu.be/abc', 'youtube'],
    ['https://www.instagram.com/band', 'instagram'],
    ['https://www.tiktok.com/@band', 'tiktok'],
    ['https://band.bandcamp.com/album/x', 'bandcamp'],
    ['https://band.example.org/', 'website'],
    ['https://spotify.com.evil.example/', 'website'],
  ])('recognises %s as %s', (url, platform) => {
    expect(checkArtistLink(url)).toMatchObject({ ok: true, platform });
  });

  it.each([
    ['http://band.example.org/', /https/],
    ['javascript:alert(1)', /https/],
    ['https://user:pw@band.example.org/', /user name or password/],
    ['https://localhost/', /domain name/],
    ['not a url', /web address/],
    [`https://band.example.org/${'x'.repeat(500)}`, /500/],
  ])('refuses %s', (url, reason) => {
    const check = checkArtistLink(url);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });
});

describe('claim tokens', () => {
  const key = 'k'.repeat(32);
  it('are bound to one artist and one key', () => {
    const token = claimToken(key, 'artist-a', 'n'.repeat(22));
    expect(isClaimTokenShaped(token)).toBe(true);
    expect(signedFor(key, 'artist-a', token)).toBe(true);
    expect(signedFor(key, 'artist-b', token)).toBe(false);
    expect(signedFor('o'.repeat(32), 'artist-a', token)).toBe(false);
    expect(hashClaimToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashClaimToken(token)).not.toContain(token);
  });
});

describe('pictures by their first bytes', () => {
  it('knows JPEG, PNG and WebP and nothing else', () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImage(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>'))).toBeNull();
    expect(sniffImage(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffImage(Buffer.from('<?php system($_GET["c"]);'))).toBeNull();
  });
});

describe('results', () => {
  it('rank by competition (1, 2, 2, 4), none before any vote', () => {
    const all = [10, 7, 7, 3];
    expect(all.map((votes) => rankOf(votes, all))).toEqual([1, 2, 2, 4]);
    expect(rankOf(0, [0, 0])).toBeNull();
  });

  it('write CSV a spreadsheet reads as text: quoted commas, defused formulas', () => {
    const csv = dashboardCsv({
      artist: { name: 'A', slug: 'a' },
      events: [
        {
          event: { slug: 'night', title: '=HYPERLINK("x"), "quoted"', startsAt: null, phase: 'live' },
          code: '1',
          fansJoined: 4,
          rounds: [{ number: 1, title: 'Final, live', state: 'open', votes: 1, totalVotes: 4, share: 0.25, rank: 2, entries: 3 }],
          votesOverTime: [],
        },
      ],
    });
    expect(csv.split('\r\n')[1]).toBe(`night,"'=HYPERLINK(""x""), ""quoted""",1,4,1,"Final, live",1,4,25.0,2,3`);
  });
});
