import { describe, expect, it } from 'vitest';
import { AA_CONTRAST, PAGE_BACKGROUNDS, accentPalette, accentStylesheet, contrast, parseHex } from '../lib/accent';

const rgb = (hex: string) => parseHex(hex)!;

describe('an event’s accent colour', () => {
  it('keeps a colour that already has AA contrast', () => {
    expect(accentPalette('#5b21b6')!.light.accent).toBe('#5b21b6');
  });

  it('moves a hostile colour until text in it passes AA on the page, on its tint and as button text, in both schemes', () => {
    for (const hostile of ['#ffff00', '#ffffff', '#000000', '#11ff99', '#777777', '#101012']) {
      const palette = accentPalette(hostile)!;
      for (const scheme of ['light', 'dark'] as const) {
        const { accent, soft } = palette[scheme];
        const page = rgb(PAGE_BACKGROUNDS[scheme]);
        expect(contrast(rgb(accent), page), `${hostile} ${scheme} on page`).toBeGreaterThanOrEqual(AA_CONTRAST);
        expect(contrast(rgb(accent), rgb(soft)), `${hostile} ${scheme} on tint`).toBeGreaterThanOrEqual(AA_CONTRAST);
      }
    }
    expect(accentPalette('#ffff00')!.light.accent).not.toBe('#ffff00');
  });

  it('refuses anything that is not a #rrggbb colour (nothing else reaches a stylesheet)', () => {
    for (const value of ['red', '#fff', 'url(x)', '#ffffff;}body{display:none', '', null, 42]) {
      expect(accentPalette(value), String(value)).toBeUndefined();
    }
    expect(accentStylesheet(accentPalette('#ffff00')!)).toMatch(/^html:root\{--accent:#[0-9a-f]{6};--accent-soft:#[0-9a-f]{6};--accent-contrast:#ffffff;\}/);
  });
});
