/**
 * Live streams this site process holds open, in all and per fan address: each is a socket kept for
 * as long as a page stays open. Past either cap a new stream is refused (429); the live leaderboard
 * then polls, so fans sharing one address (a venue's Wi-Fi) still see the standings.
 */
export interface StreamCaps {
  perClient: number;
  perProcess: number;
}

export function streamCapsFromEnv(env: NodeJS.ProcessEnv = process.env): StreamCaps {
  const int = (value: string | undefined, fallback: number) => (value && /^\d+$/.test(value) ? Number(value) : fallback);
  return { perClient: int(env.SITE_STREAMS_PER_CLIENT, 20), perProcess: int(env.SITE_STREAMS_PER_PROCESS, 5_000) };
}

export function createStreamSlots(caps: () => StreamCaps = streamCapsFromEnv) {
  let open = 0;
  const perClient = new Map<string, number>();
  return {
    /** A slot for `address`, with the function that gives it back (safe to call twice), or undefined when full. */
    take(address: string): (() => void) | undefined {
      const { perClient: clientCap, perProcess } = caps();
      const mine = perClient.get(address) ?? 0;
      if (open >= perProcess || mine >= clientCap) return undefined;
      open += 1;
      perClient.set(address, mine + 1);
      let given = false;
      return () => {
        if (given) return;
        given = true;
        open -= 1;
        const left = (perClient.get(address) ?? 1) - 1;
        if (left > 0) perClient.set(address, left);
        else perClient.delete(address);
      };
    },
    get open() {
      return open;
    },
  };
}

/** The slots of this process's stream endpoint. */
export const streamSlots = createStreamSlots();
