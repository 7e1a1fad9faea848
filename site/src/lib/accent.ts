/**
 * An event's accent colour, made safe to use. Editors pick any colour; the site only ever uses one
 * that keeps WCAG AA contrast (4.5:1) for normal text, in both colour schemes: as text and button
 * background on the light page, as text on the dark page. A colour that fails is moved in lightness
 * (same hue) until it passes, never used as given.
 */

/** WCAG AA for normal-size text. */
export const AA_CONTRAST = 4.5;

/** The pages' own backgrounds (src/styles/global.css `--bg`), light and dark. */
export const PAGE_BACKGROUNDS = { light: '#ffffff', dark: '#111116' } as const;

const HEX = /^#?([0-9a-f]{6})$/i;

type Rgb = [number, number, number];

export function parseHex(value: unknown): Rgb | undefined {
  const match = typeof value === 'string' ? HEX.exec(value.trim()) : null;
  if (!match) return undefined;
  const n = parseInt(match[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.x relative luminance. */
export function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Mixes `colour` toward `target` by `t` (0..1): the hue stays, the lightness moves. */
function mix(colour: Rgb, target: Rgb, t: number): Rgb {
  return colour.map((c, i) => c + (target[i]! - c) * t) as Rgb;
}

/**
 * The closest colour to `colour` (mixed toward black on a light background, toward white on a dark
 * one) with at least `AA_CONTRAST` against `background`. Unchanged when it already passes.
 */
export function withContrast(colour: Rgb, background: Rgb): Rgb {
  if (contrast(colour, background) >= AA_CONTRAST) return colour;
  const target: Rgb = luminance(background) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 20; i += 1) {
    const mid = (lo + hi) / 2;
    if (contrast(mix(colour, target, mid), background) >= AA_CONTRAST) hi = mid;
    else lo = mid;
  }
  // Rounding to whole channels can lose a hair of contrast: step on until it holds.
  let t = hi;
  let result = mix(colour, target, t).map(Math.round) as Rgb;
  while (contrast(result, background) < AA_CONTRAST && t < 1) {
    t = Math.min(1, t + 0.01);
    result = mix(colour, target, t).map(Math.round) as Rgb;
  }
  return result;
}

export interface Accent {
  /** Text, borders and button backgrounds (the page's background colour as text on it). */
  accent: string;
  /** A tint for panels, which accent-coloured text also sits on. */
  soft: string;
}

export interface AccentPalette {
  light: Accent;
  dark: Accent;
}

/** How much of the page's background a tint keeps, per scheme. */
const SOFT_MIX = { light: 0.88, dark: 0.8 } as const;

function accentOn(colour: Rgb, scheme: keyof typeof PAGE_BACKGROUNDS): Accent {
  const soft = mix(colour, parseHex(PAGE_BACKGROUNDS[scheme])!, SOFT_MIX[scheme]).map(Math.round) as Rgb;
  // The tint is the nearer to the accent of the two backgrounds it meets: passing on it passes on both,
  // and on a button the page's background colour as text is at least as far away.
  return { accent: toHex(withContrast(colour, soft)), soft: toHex(soft) };
}

/** Where a page finds its event's accent stylesheet (`/theme/<rrggbb>.css`), or nothing without a valid colour. */
export function accentStylesheetPath(value: unknown): string | undefined {
  const colour = parseHex(value);
  return colour ? `/theme/${toHex(colour).slice(1)}.css` : undefined;
}

/** The event's accent for each colour scheme, or `undefined` when the value is not a `#rrggbb` colour. */
export function accentPalette(value: unknown): AccentPalette | undefined {
  const colour = parseHex(value);
  if (!colour) return undefined;
  return { light: accentOn(colour, 'light'), dark: accentOn(colour, 'dark') };
}

/**
 * The stylesheet that gives a page the event's accent (served from this origin: the CSP allows no
 * inline styles). `--accent-contrast` is the text on accent-coloured buttons.
 */
export function accentStylesheet(palette: AccentPalette): string {
  // `html:root` outranks the defaults' `:root` wherever Astro puts its own stylesheets. The big screen
  // is always dark: its bars take the dark scheme's accent.
  const vars = ({ accent, soft }: Accent, text: string) => `--accent:${accent};--accent-soft:${soft};--accent-contrast:${text};`;
  return [
    `html:root{${vars(palette.light, PAGE_BACKGROUNDS.light)}}`,
    `@media (prefers-color-scheme: dark){html:root{${vars(palette.dark, PAGE_BACKGROUNDS.dark)}}}`,
    `html.screen-html{--screen-bar:${palette.dark.accent};}`,
    '',
  ].join('\n');
}
