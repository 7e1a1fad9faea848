import { describe, expect, it } from 'vitest';
import { joinQrSvg, screenOptions } from '../lib/screen';

describe('the big screen’s query', () => {
  it('reads the overlay flag and a pinned round', () => {
    expect(screenOptions(new URLSearchParams(''))).toEqual({ overlay: false });
    expect(screenOptions(new URLSearchParams('overlay=1'))).toEqual({ overlay: true });
    expect(screenOptions(new URLSearchParams('overlay=0&round=2'))).toEqual({ overlay: false, round: 2 });
    expect(screenOptions(new URLSearchParams('round='))).toEqual({ overlay: false });
  });

  it('refuses a round that is not a round number', () => {
    for (const round of ['0', '-1', '01', '1.5', 'abc', '99999', '1e3']) {
      expect(screenOptions(new URLSearchParams({ round })), round).toBeUndefined();
    }
  });

  it('draws the join QR code as inline SVG that screen readers skip (the instruction is printed beside it)', async () => {
    const svg = await joinQrSvg('DEMO', '+1 202 555 0100');
    expect(svg).toMatch(/^<svg class="screen-qr-code" aria-hidden="true" focusable="false" xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    // No inline style (the CSP has no 'unsafe-inline'), nothing that runs.
    expect(svg).not.toMatch(/style=|<script|on\w+=/i);
    expect(await joinQrSvg('OTHER', '+1 202 555 0100')).not.toBe(svg);
  });
});
