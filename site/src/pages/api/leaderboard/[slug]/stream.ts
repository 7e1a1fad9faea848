/**
 * `GET /api/leaderboard/:slug/stream`: server-sent events for the live leaderboard, relayed from
 * the CMS through this process's standings hub (one upstream per event, however many viewers).
 * Messages: `standings` (JSON), `hidden` (results not public: the client stops), `unavailable`
 * (upstream down: the client polls meanwhile), and `ping` every 15 s so a client can tell a quiet
 * stream from a dead one.
 */
import type { APIRoute } from 'astro';
import { STANDINGS_EVENT, isSlug } from '@ovation/plugin-sms-voting/contracts';
import { standingsHub, type HubMessage } from '../../../../lib/standings-hub';
import { streamSlots } from '../../../../lib/stream-slots';

const PING_MS = 15_000;

function frame(message: HubMessage): string {
  if (message.type === 'standings') return `event: ${STANDINGS_EVENT}\ndata: ${message.data.replace(/\n/g, '\ndata: ')}\n\n`;
  return `event: ${message.type}\ndata: {}\n\n`;
}

const RETRY_AFTER_SECONDS = 15;

export const GET: APIRoute = ({ params, request, clientAddress }) => {
  const slug = params.slug ?? '';
  if (!isSlug(slug)) return new Response(null, { status: 404 });
  const release = streamSlots.take(clientAddress);
  if (!release) {
    const error = { status: 429, name: 'RateLimitError', message: 'Too many live streams open: the leaderboard falls back to polling' };
    return new Response(JSON.stringify({ data: null, error }), {
      status: 429,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'retry-after': String(RETRY_AFTER_SECONDS) },
    });
  }

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      // Reconnecting clients wait 2 s, not the browser's default 3 s.
      send('retry: 2000\n\n');
      const ping = setInterval(() => send('event: ping\ndata: {}\n\n'), PING_MS);
      const unsubscribe = standingsHub.subscribe(slug, (message) => {
        send(frame(message));
        if (message.type === 'hidden') {
          cleanup();
          controller.close();
        }
      });
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(ping);
        unsubscribe();
        release();
      };
      request.signal.addEventListener('abort', () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
};
