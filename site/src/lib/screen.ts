/**
 * The venue's big screen (`/events/:slug/screen`): its query options and the join QR code, drawn
 * on the server as inline SVG so the screen needs nothing from another origin.
 */
import QRCode from 'qrcode';
import { smsHref, smsNumber } from './site';

export interface ScreenOptions {
  /** `?overlay=1`: a transparent background, for a broadcast overlay (an OBS browser source). */
  overlay: boolean;
  /** `?round=<n>`: the screen shows this round only, instead of following the current one. */
  round?: number;
}

/** A round number as a query parameter: a positive integer, no sign, no leading zero. */
export const ROUND_PARAM = /^[1-9]\d{0,3}$/;

/** The screen's options from its query string, or `undefined` when `round` is not a round number. */
export function screenOptions(params: URLSearchParams): ScreenOptions | undefined {
  const overlay = ['1', 'true'].includes(params.get('overlay') ?? '');
  const round = params.get('round');
  if (round === null || round === '') return { overlay };
  return ROUND_PARAM.test(round) ? { overlay, round: Number(round) } : undefined;
}

/**
 * A QR code of the `sms:` link that opens a phone's messages app with the keyword typed in, as an
 * SVG string. Black on white with a quiet zone, whatever the screen's colours: phones read that best.
 * It is decorative markup (the same instruction is printed next to it), hidden from screen readers.
 */
export async function joinQrSvg(keyword: string, number = smsNumber()): Promise<string> {
  const svg = await QRCode.toString(smsHref(keyword, number), {
    type: 'svg',
    margin: 2,
    errorCorrectionLevel: 'M',
    color: { dark: '#000000', light: '#ffffff' },
  });
  return svg.replace('<svg ', '<svg class="screen-qr-code" aria-hidden="true" focusable="false" ');
}
