/**
 * Pictures the demo draws for itself, so a fresh clone shows an event with images and downloads
 * nothing: an artist's portrait card (initials over a gradient and a pattern chosen by the genre)
 * and an event's hero banner, drawn as SVG and rasterised to PNG with sharp. The same name always
 * gives the same picture.
 */
import crypto from 'crypto';
import sharp from 'sharp';

/** Hues and a pattern per genre family; anything else takes its hue from the name. */
const GENRE_STYLES: { match: RegExp; hues: [number, number]; pattern: 'waves' | 'rings' | 'grid' | 'rays' }[] = [
  { match: /pop|latin|synth/i, hues: [320, 265], pattern: 'rings' },
  { match: /rock|punk|metal/i, hues: [12, 340], pattern: 'rays' },
  { match: /electr|techno|house|dj/i, hues: [190, 250], pattern: 'grid' },
  { match: /folk|country|bluegrass|cumbia|brass|banda/i, hues: [35, 90], pattern: 'waves' },
  { match: /r&b|soul|jazz|funk/i, hues: [280, 20], pattern: 'waves' },
];

function hashOf(text: string): number {
  return crypto.createHash('sha256').update(text).digest().readUInt32BE(0);
}

function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word) && !/^(the|el|la|los|las)$/i.test(word))
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function styleFor(name: string, genre: string) {
  const known = GENRE_STYLES.find((style) => style.match.test(genre));
  const seed = hashOf(name);
  const base = known?.hues ?? [seed % 360, (seed >> 9) % 360];
  // A small shift per name, so two artists of one genre still differ.
  const shift = (seed % 30) - 15;
  return { hues: [base[0] + shift, base[1] + shift] as [number, number], pattern: known?.pattern ?? 'rings', seed };
}

function pattern(kind: 'waves' | 'rings' | 'grid' | 'rays', size: number, seed: number): string {
  const stroke = 'stroke="#ffffff" stroke-opacity="0.14" fill="none"';
  switch (kind) {
    case 'rings':
      return Array.from({ length: 7 }, (_, i) => `<circle cx="${size * 0.8}" cy="${size * 0.2}" r="${(i + 1) * size * 0.12}" ${stroke} stroke-width="${size * 0.02}"/>`).join('');
    case 'rays':
      return Array.from({ length: 12 }, (_, i) => {
        const angle = (i / 12) * Math.PI + (seed % 10) / 10;
        return `<line x1="${size / 2}" y1="${size}" x2="${size / 2 + Math.cos(angle) * size * 1.5}" y2="${size - Math.sin(angle) * size * 1.5}" ${stroke} stroke-width="${size * 0.03}"/>`;
      }).join('');
    case 'grid':
      return Array.from({ length: 9 }, (_, i) => {
        const at = ((i + 1) * size) / 10;
        return `<line x1="${at}" y1="0" x2="${at}" y2="${size}" ${stroke} stroke-width="${size * 0.008}"/><line x1="0" y1="${at}" x2="${size}" y2="${at}" ${stroke} stroke-width="${size * 0.008}"/>`;
      }).join('');
    case 'waves':
      return Array.from({ length: 8 }, (_, i) => {
        const y = ((i + 1) * size) / 8;
        return `<path d="M0 ${y} Q ${size / 4} ${y - size * 0.06} ${size / 2} ${y} T ${size} ${y}" ${stroke} stroke-width="${size * 0.018}"/>`;
      }).join('');
  }
}

/** An artist's square portrait card as PNG (`size` pixels a side). */
export async function artistArtwork(name: string, genre: string, size = 640): Promise<Buffer> {
  const { hues, pattern: kind, seed } = styleFor(name, genre);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hues[0]}, 70%, 42%)"/><stop offset="1" stop-color="hsl(${hues[1]}, 75%, 22%)"/>
  </linearGradient></defs>
  <rect width="${size}" height="${size}" fill="url(#g)"/>
  ${pattern(kind, size, seed)}
  <text x="50%" y="54%" text-anchor="middle" dominant-baseline="middle" font-family="DejaVu Sans, Arial, sans-serif" font-weight="700"
    font-size="${size * 0.36}" fill="#ffffff" fill-opacity="0.92">${escapeXml(initialsOf(name) || name.slice(0, 1))}</text>
</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}

/** An event's hero banner as PNG, 16:9 (`width` pixels wide): its title over a stage-light gradient. */
export async function eventHero(title: string, width = 1600): Promise<Buffer> {
  const height = Math.round((width * 9) / 16);
  const seed = hashOf(title);
  const hue = seed % 360;
  const lights = Array.from({ length: 5 }, (_, i) => {
    const x = ((i + 0.5) * width) / 5 + (((seed >> i) % 40) - 20);
    return `<path d="M${x} 0 L${x - width * 0.12} ${height} L${x + width * 0.12} ${height} Z" fill="hsl(${(hue + i * 25) % 360}, 90%, 70%)" fill-opacity="0.12"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="hsl(${hue}, 55%, 18%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360}, 65%, 8%)"/>
  </linearGradient></defs>
  <rect width="${width}" height="${height}" fill="url(#g)"/>
  ${lights}
  <text x="50%" y="55%" text-anchor="middle" dominant-baseline="middle" font-family="DejaVu Sans, Arial, sans-serif" font-weight="700"
    font-size="${Math.min(width * 0.07, (width * 1.6) / Math.max(title.length, 1))}" fill="#ffffff">${escapeXml(title)}</text>
</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}
