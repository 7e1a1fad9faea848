/**
 * A recap's share card (Open Graph and Twitter `summary_large_image`, 1200×630 PNG), drawn on the
 * server with sharp: the event's name, the last decided round's winner with their photo, and that
 * round's results as bars. Without public results it shows the event alone, so a shared link never
 * reveals what the recap does not.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { isSlug } from '@ovation/plugin-sms-voting/contracts';
import { roundLabel, t, tn, type Locale } from '../i18n';
import { accentPalette } from './accent';
import { mediaUrl } from './blocks';
import { CmsError } from './cms';
import { CACHE_POLICIES } from './page';
import type { CmsEventDetail } from './content';
import { initialsOf } from './media';
import { rankEntries } from './ranking';
import { SHARE_CARD } from './share-card-size';
import { loadRecap, type RecapRound } from './recap';
import { entryName, type Standings } from './vote-types';


/** Photos are fetched from the upload origin; a slow or missing one gives initials, never a failed card. */
const PHOTO_TIMEOUT_MS = 3_000;

export interface ShareCardText {
  /** "Winner of Round 1", "Tie in Round 1" */
  heading: string;
  /** "Luna Vega", or several names on a tie */
  winner: string;
  /** "42 votes", per entry */
  votes: (count: number) => string;
  actLabel: string;
  siteName: string;
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Shortens a line to `max` characters, with an ellipsis. */
const fit = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The last closed round with public results and a winner: what a shared recap is about. */
export function decidedRound(rounds: RecapRound[]): (RecapRound & { standings: Standings }) | undefined {
  const decided = rounds.filter((r): r is RecapRound & { standings: Standings } => typeof r.standings === 'object' && r.winners.length > 0);
  return decided.at(-1);
}

async function photoOf(url: string | undefined, size: number): Promise<Buffer | undefined> {
  if (!url) return undefined;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PHOTO_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) return undefined;
    const circle = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><circle cx="${size / 2}" cy="${size / 2}" r="${size / 2}"/></svg>`);
    return await sharp(Buffer.from(await res.arrayBuffer()))
      .resize(size, size, { fit: 'cover' })
      .composite([{ input: circle, blend: 'dest-in' }])
      .png()
      .toBuffer();
  } catch {
    return undefined;
  }
}

export async function renderShareCard(
  event: Pick<CmsEventDetail, 'title' | 'accent_color'>,
  decided: (RecapRound & { standings: Standings }) | undefined,
  text: ShareCardText,
  photoUrl: string | undefined,
): Promise<Buffer> {
  const { width, height } = SHARE_CARD;
  // The card is dark: the accent as it reads on the dark scheme.
  const accent = accentPalette(event.accent_color)?.dark.accent ?? '#c4b5fd';
  const font = 'font-family="DejaVu Sans, Arial, sans-serif"';
  const parts = [
    `<rect width="${width}" height="${height}" fill="#0d0b14"/>`,
    `<rect width="${width}" height="12" fill="${accent}"/>`,
    `<text x="64" y="104" ${font} font-size="52" font-weight="700" fill="#ffffff">${escapeXml(fit(event.title, 38))}</text>`,
    `<text x="64" y="${height - 48}" ${font} font-size="28" fill="#d4d0e2">${escapeXml(text.siteName)}</text>`,
  ];
  const photoSize = 220;
  const composites: OverlayOptions[] = [];
  if (decided) {
    parts.push(
      `<text x="${64 + photoSize + 40}" y="200" ${font} font-size="30" font-weight="700" fill="${accent}">${escapeXml(fit(text.heading.toUpperCase(), 40))}</text>`,
      `<text x="${64 + photoSize + 40}" y="262" ${font} font-size="56" font-weight="700" fill="#ffffff">${escapeXml(fit(text.winner, 26))}</text>`,
    );
    const photo = decided.winners.length === 1 ? await photoOf(photoUrl, photoSize) : undefined;
    if (photo) composites.push({ input: photo, left: 64, top: 150 });
    else {
      const initials = decided.winners.length === 1 && decided.winners[0]!.artist ? initialsOf(decided.winners[0]!.artist.name) : '★';
      parts.push(
        `<circle cx="${64 + photoSize / 2}" cy="${150 + photoSize / 2}" r="${photoSize / 2}" fill="#4c3d8f"/>`,
        `<text x="${64 + photoSize / 2}" y="${150 + photoSize / 2 + 28}" text-anchor="middle" ${font} font-size="80" font-weight="700" fill="#ffffff">${escapeXml(initials)}</text>`,
      );
    }
    const total = decided.standings.totalVotes;
    const top = rankEntries(decided.standings.entries).slice(0, 3);
    top.forEach((entry, i) => {
      const y = 310 + i * 70;
      const barX = 64 + photoSize + 40;
      const barWidth = width - barX - 64;
      const share = total > 0 ? entry.votes / total : 0;
      const name = entry.artist?.name ?? text.actLabel.replace('{code}', entry.code);
      parts.push(
        `<text x="${barX}" y="${y + 24}" ${font} font-size="26" fill="#ffffff">${escapeXml(fit(name, 30))}</text>`,
        `<text x="${width - 64}" y="${y + 24}" text-anchor="end" ${font} font-size="26" fill="#d4d0e2">${escapeXml(text.votes(entry.votes))}</text>`,
        `<rect x="${barX}" y="${y + 36}" width="${barWidth}" height="14" rx="7" fill="#2e2943"/>`,
        `<rect x="${barX}" y="${y + 36}" width="${Math.max(0, Math.round(barWidth * share))}" height="14" rx="7" fill="${i === 0 ? '#fcd34d' : accent}"/>`,
      );
    });
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
  return sharp(Buffer.from(svg)).composite(composites).png().toBuffer();
}

/**
 * `GET /events/:slug/recap/og.png` (and `/es/…`): the card as a response. 404 for an unknown event;
 * a CMS that cannot be reached gives 503 (a crawler comes back), never a broken image.
 */
export async function shareCardResponse(locale: Locale, slug: string | undefined): Promise<Response> {
  if (!isSlug(slug)) return new Response(null, { status: 404 });
  let recap: Awaited<ReturnType<typeof loadRecap>>;
  try {
    recap = await loadRecap(locale, slug);
  } catch (err) {
    if (!(err instanceof CmsError)) throw err;
    return new Response(null, { status: 503, headers: { 'retry-after': '30', 'cache-control': 'no-store' } });
  }
  if (!recap) return new Response(null, { status: 404, headers: { 'cache-control': CACHE_POLICIES.missing } });
  const decided = decidedRound(recap.rounds);
  const winners = decided?.winners ?? [];
  const roundName = decided ? roundLabel(locale, decided.round) : '';
  const png = await renderShareCard(
    recap.event,
    decided,
    {
      heading: t(locale, winners.length > 1 ? 'share.tie' : 'share.winner', { round: roundName }),
      winner: winners.map((w) => entryName(w, t(locale, 'live.act'))).join(' · '),
      votes: (count) => tn(locale, 'live.votes', count),
      actLabel: t(locale, 'live.act'),
      siteName: t(locale, 'site.name'),
    },
    mediaUrl(winners.length === 1 ? winners[0]!.artist?.avatar?.url : undefined),
  );
  return new Response(new Uint8Array(png), {
    headers: { 'content-type': 'image/png', 'cache-control': CACHE_POLICIES.content },
  });
}
