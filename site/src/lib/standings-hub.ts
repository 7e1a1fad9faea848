/**
 * Fans watching the same event's leaderboard share one upstream connection per site process:
 * the hub holds a single server-sent-events stream from the CMS per event, remembers the last
 * standings, and hands every message to each local subscriber. N viewers cost the CMS one stream
 * per site instance, not N.
 */
import { STANDINGS_EVENT } from '@ovation/plugin-sms-voting/contracts';
import { callerHeaders } from './cms';
import { asSite } from './fan-context';
import { standingsStreamUrl } from './voting';

export type HubMessage =
  /** `data` is the standings JSON exactly as the CMS sent it. */
  | { type: 'standings'; data: string }
  /** The event's results are not public (the CMS answered 404): nothing will follow. */
  | { type: 'hidden' }
  /** The upstream stream is down; the hub keeps retrying while anyone listens. */
  | { type: 'unavailable' };

export type HubListener = (message: HubMessage) => void;

export interface HubOptions {
  /** Where the upstream stream of an event lives. */
  upstreamUrl?: (slug: string) => string;
  /** How long an upstream stays open after its last subscriber leaves (a reload should not reconnect). */
  idleCloseMs?: number;
  /** Reconnect delays after failures: starts at `minRetryMs`, doubles up to `maxRetryMs`. */
  minRetryMs?: number;
  maxRetryMs?: number;
  fetch?: typeof fetch;
}

interface Channel {
  listeners: Set<HubListener>;
  last?: HubMessage;
  abort?: AbortController;
  idleTimer?: ReturnType<typeof setTimeout>;
  running: boolean;
}

/** Parses one SSE block ("event: x\ndata: y") into its event name and data. */
export function parseSseBlock(block: string): { event: string; data: string } | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { event, data: data.join('\n') } : undefined;
}

export function createStandingsHub(options: HubOptions = {}) {
  const upstreamUrl = options.upstreamUrl ?? standingsStreamUrl;
  const idleCloseMs = options.idleCloseMs ?? 5_000;
  const minRetryMs = options.minRetryMs ?? 1_000;
  const maxRetryMs = options.maxRetryMs ?? 15_000;
  const doFetch = options.fetch ?? fetch;
  const channels = new Map<string, Channel>();

  const broadcast = (channel: Channel, message: HubMessage) => {
    // Only standings are replayed to newcomers: "hidden" is re-checked by a fresh upstream request.
    if (message.type === 'standings') channel.last = message;
    for (const listener of channel.listeners) listener(message);
  };

  /** Reads one upstream connection to its end. Resolves true when it carried any standings. */
  async function readUpstream(slug: string, channel: Channel, signal: AbortSignal): Promise<boolean | 'hidden'> {
    const res = await doFetch(upstreamUrl(slug), { headers: { accept: 'text/event-stream', ...callerHeaders() }, signal });
    if (res.status === 404) {
      await res.body?.cancel();
      return 'hidden';
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new Error(`upstream answered ${res.status}`);
    }
    const decoder = new TextDecoder();
    let buffer = '';
    let received = false;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: RegExpExecArray | null;
      while ((end = /\r?\n\r?\n/.exec(buffer))) {
        const message = parseSseBlock(buffer.slice(0, end.index));
        buffer = buffer.slice(end.index + end[0].length);
        if (message?.event === STANDINGS_EVENT) {
          received = true;
          broadcast(channel, { type: 'standings', data: message.data });
        }
      }
    }
    return received;
  }

  /**
   * Keeps the event's upstream open while anyone listens. The first connection is made for the fan
   * whose visit opened the channel (a made-up slug costs that fan's budget, not the site's); the
   * reconnections that keep it open for everyone are the site's own.
   */
  async function run(slug: string, channel: Channel) {
    channel.running = true;
    let delay = minRetryMs;
    let hidden = false;
    let first = true;
    while (channel.listeners.size > 0) {
      const abort = new AbortController();
      channel.abort = abort;
      const connect = () => readUpstream(slug, channel, abort.signal);
      try {
        const outcome = await (first ? connect() : asSite(connect));
        first = false;
        if (outcome === 'hidden') {
          hidden = true;
          broadcast(channel, { type: 'hidden' });
          break;
        }
        if (outcome) delay = minRetryMs;
      } catch (err) {
        first = false;
        if (abort.signal.aborted) break;
        console.error(`[site] standings stream for ${slug}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (channel.listeners.size === 0 || abort.signal.aborted) break;
      broadcast(channel, { type: 'unavailable' });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(maxRetryMs, delay * 2);
    }
    channel.running = false;
    channel.abort = undefined;
    if (channel.listeners.size === 0) channels.delete(slug);
    // Someone subscribed while the idle timer was closing this upstream: open a fresh one.
    else if (!hidden) void asSite(() => run(slug, channel));
  }

  return {
    /** Listens to an event's standings; the last known standings (if any) are delivered at once. */
    subscribe(slug: string, listener: HubListener): () => void {
      let channel = channels.get(slug);
      if (!channel) {
        channel = { listeners: new Set(), running: false };
        channels.set(slug, channel);
      }
      const ch = channel;
      clearTimeout(ch.idleTimer);
      ch.listeners.add(listener);
      if (ch.last) listener(ch.last);
      if (!ch.running) void run(slug, ch);
      return () => {
        ch.listeners.delete(listener);
        if (ch.listeners.size > 0) return;
        clearTimeout(ch.idleTimer);
        ch.idleTimer = setTimeout(() => {
          if (ch.listeners.size > 0) return;
          ch.abort?.abort();
          // A hidden or finished channel is not running: forget it now, so the next viewer asks afresh.
          if (!ch.running) channels.delete(slug);
        }, idleCloseMs);
        ch.idleTimer.unref?.();
      };
    },
    /** Number of events with an open (or opening) upstream. */
    get size() {
      return channels.size;
    },
    /** Closes every upstream at once (tests, shutdown). */
    closeAll() {
      for (const [slug, channel] of channels) {
        clearTimeout(channel.idleTimer);
        channel.listeners.clear();
        channel.abort?.abort();
        channels.delete(slug);
      }
    },
  };
}

export type StandingsHub = ReturnType<typeof createStandingsHub>;

/** The process-wide hub the stream endpoint uses. */
export const standingsHub = createStandingsHub();
