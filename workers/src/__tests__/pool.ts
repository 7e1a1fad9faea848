import type { Core } from '@strapi/strapi';
import winston from 'winston';
import type { JobName } from '../catalogue';
import type { JobContext } from '../jobs';
import { startConsumers } from '../consumer';
import { createLane } from '../durable/lane';
import { createJobStore } from '../durable/store';
import { knexFor } from '../durable/strapi-db';
import type { Providers } from '../providers';
import { jobTimings } from '../settings';
import { startSweeper } from '../sweeper';
import { strapiRuntime } from '../runtime/app';

export const silentLogger = winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });

/** Polls until `condition` holds (work finished), instead of sleeping and hoping. */
export async function until(condition: () => Promise<boolean> | boolean, ms = 20_000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a handler gets from the consumer, for a test that runs each job itself (so nothing is handed over). */
export const handlerContext = (strapi: Core.Strapi, providers?: Providers) =>
  ({ strapi, app: strapiRuntime(strapi), providers, logger: silentLogger, handOff: async () => undefined }) as unknown as JobContext & { strapi: Core.Strapi };

/** The job store of the test app, with the given timings. */
export const storeOf = (strapi: Core.Strapi, timings: Partial<ReturnType<typeof jobTimings>> = {}) =>
  createJobStore({ knex: () => knexFor(strapi), postgres: strapi.db.dialect.client === 'postgres', timings: { ...jobTimings(), ...timings } });

/** Workers inside the test process (consumers and a sweeper on the run's Redis), as `workers/src/main.ts` starts them. */
export function startWorkerPool({
  strapi,
  providers,
  redisUrl = process.env.REDIS_URL as string,
  names,
  throttle,
}: {
  strapi: Core.Strapi;
  providers: Providers;
  redisUrl?: string;
  names?: JobName[];
  throttle?: (channel: 'sms' | 'email') => Promise<void>;
}) {
  const store = storeOf(strapi, { sweepIntervalMs: 200 });
  const lane = createLane({ redisUrl, logger: silentLogger });
  const consumers = startConsumers({ app: strapiRuntime(strapi), store, providers, logger: silentLogger, redisUrl, names, throttle });
  const sweeper = startSweeper({ store, lane, redisUrl, logger: silentLogger });
  return {
    store,
    consumers,
    async stop() {
      await consumers.close(5_000);
      await sweeper.stop();
      await lane.close();
    },
  };
}
