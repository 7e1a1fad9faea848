import { startConsumers } from './consumer';
import { createLogger } from './logger';
import { providersFromEnv } from './providers';
import { loadStrapi } from './runtime/strapi';
import { waitForCms } from './runtime/wait-for-cms';
import { createThrottle } from './throttle';

async function main() {
  const logger = createLogger();
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (process.env.WAIT_FOR_CMS !== 'false') await waitForCms(process.env.CMS_URL || 'http://127.0.0.1:1337', logger);

  const strapi = await loadStrapi();
  const providers = providersFromEnv();
  const throttle = createThrottle({ redisUrl });
  const consumers = startConsumers({ strapi, providers, logger, redisUrl, throttle: throttle.wait });
  await consumers.ready();
  logger.info(`Workers ready: ${consumers.queues.map((q) => q.name).join(', ')} (sms: ${providers.sms.name}, email: ${providers.email.name})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing active jobs, then stopping`);
    await consumers.close();
    await throttle.close();
    await strapi.destroy();
    logger.info('Workers stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
