/**
 * The fan a request is being served for, carried through everything the page awaits, so every
 * call to the CMS made on a fan's behalf names them (see cms.ts) and the CMS's per-fan limits
 * count fans rather than the site. Only the reconnections that keep a shared live stream open for
 * everyone run outside it, as the site's own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Fan {
  /** The fan's address as this server saw it (server.mjs decides what to believe). */
  address: string;
}

const storage = new AsyncLocalStorage<Fan>();

/** Runs `work` on behalf of a fan. */
export const servingFan = <T>(fan: Fan | undefined, work: () => T): T => (fan?.address ? storage.run(fan, work) : work());

/** Runs `work` as the site's own, whoever's request started it. */
export const asSite = <T>(work: () => T): T => storage.exit(work);

/** The fan being served now, if any. */
export const currentFan = (): Fan | undefined => storage.getStore();
