import { PassThrough } from 'stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Language } from '../utils/cms';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { STANDINGS_EVENT, type Standings } from '../../../shared/contracts';
import type { EventSummary } from './directory';

type Client = { stream: PassThrough; language: Language };

const HEARTBEAT_MS = 15_000;
// At most one standings computation per event per this interval, however many votes arrive.
const COALESCE_MS = 150;

/**
 * Server-sent events for live leaderboards. Every cms instance subscribes once to the Redis channel
 * votes are announced on and pushes fresh standings to its own connected clients.
 */
const createLive = ({ strapi }: { strapi: Core.Strapi }) => {
  const clients = new Map<string, Set<Client>>();
  // Streams open now, in all and per client address: each holds a socket for as long as it lasts.
  let open = 0;
  const openPerClient = new Map<string, number>();

  /** Takes a stream slot for `address` (undefined: the site's shared upstream, capped only in all), or refuses with 429. */
  const admit = (address: string | undefined) => {
    const { perClient, perProcess } = pluginConfig(strapi).streams;
    const mine = address === undefined ? 0 : openPerClient.get(address) ?? 0;
    if (open >= perProcess || (address !== undefined && mine >= perClient)) {
      const which = open >= perProcess ? `this server has ${perProcess} open` : `at most ${perClient} at once from one address`;
      throw new errors.RateLimitError(`Too many live streams: ${which}. Close one, or poll the leaderboard instead.`, { retryAfter: 15 });
    }
    open += 1;
    if (address !== undefined) openPerClient.set(address, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      open -= 1;
      if (address === undefined) return;
      const left = (openPerClient.get(address) ?? 1) - 1;
      if (left > 0) openPerClient.set(address, left);
      else openPerClient.delete(address);
    };
  };
  const pending = new Map<string, NodeJS.Timeout>();
  let heartbeat: NodeJS.Timeout | undefined;
  let subscribed: Promise<unknown> | undefined;

  const send = (client: Client, standings: Standings) =>
    client.stream.write(`event: ${STANDINGS_EVENT}\ndata: ${JSON.stringify(standings)}\n\n`);

  const push = async (eventRef: string) => {
    pending.delete(eventRef);
    const listeners = clients.get(eventRef);
    if (!listeners?.size) return;
    const event = await getService(strapi, 'directory').eventById(eventRef);
    if (!event) return;
    const byLanguage = new Map<Language, Standings>();
    for (const client of listeners) {
      let standings = byLanguage.get(client.language);
      if (!standings) {
        standings = await getService(strapi, 'leaderboard').currentStandings(event, client.language);
        byLanguage.set(client.language, standings);
      }
      send(client, standings);
    }
  };

  const schedule = (eventRef: string) => {
    if (pending.has(eventRef) || !clients.get(eventRef)?.size) return;
    pending.set(eventRef, setTimeout(() => push(eventRef).catch((error) => strapi.log.error(`leaderboard push failed: ${error}`)), COALESCE_MS));
  };

  const subscribe = () => {
    subscribed ??= (async () => {
      const subscriber = getService(strapi, 'redis').subscriber();
      subscriber.on('message', (_channel: string, eventRef: string) => schedule(eventRef));
      await subscriber.subscribe(getService(strapi, 'leaderboard').updatesChannel());
      heartbeat = setInterval(() => {
        for (const set of clients.values()) for (const client of set) client.stream.write(': ping\n\n');
      }, HEARTBEAT_MS);
      heartbeat.unref();
    })().catch((error) => {
      // Redis was away: the next stream tries again (ioredis re-subscribes by itself after that).
      subscribed = undefined;
      getService(strapi, 'redis').subscriber().removeAllListeners('message');
      throw error;
    });
    return subscribed;
  };

  return {
    /**
     * Opens a stream for one client: the current standings at once, then every change. `address` is
     * the client's (undefined for the site's shared upstream); past the caps this throws a 429.
     */
    async open(event: EventSummary, language: Language, address: string | undefined) {
      const release = admit(address);
      try {
        await subscribe();
        const first = await getService(strapi, 'leaderboard').currentStandings(event, language);
        const stream = new PassThrough();
        const client: Client = { stream, language };
        const set = clients.get(event.documentId) ?? new Set<Client>();
        clients.set(event.documentId, set);
        set.add(client);
        const close = () => {
          release();
          set.delete(client);
          if (set.size === 0 && clients.get(event.documentId) === set) clients.delete(event.documentId);
        };
        stream.on('close', close);
        stream.write('retry: 2000\n\n');
        send(client, first);
        return { stream, close };
      } catch (error) {
        release();
        throw error;
      }
    },

    /** Streams open in this process (the admin and tests read it). */
    get openStreams() {
      return open;
    },

    stop() {
      if (heartbeat) clearInterval(heartbeat);
      for (const timer of pending.values()) clearTimeout(timer);
      for (const set of clients.values()) for (const client of set) client.stream.end();
      clients.clear();
    },
  };
};

export type LiveService = ReturnType<typeof createLive>;
export default createLive;
