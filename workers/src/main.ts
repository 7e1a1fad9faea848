import { backupSettings, backupsConfigured } from './backup/settings';
import { backupMetrics } from './backup/metrics-source';
import { startBackupSchedule } from './backup/schedule';
import { startAuditSchedules } from './audit/schedule';
import { isJobName, JOB_NAMES, type JobName } from './catalogue';
import { startConsumers } from './consumer';
import { createJobStore } from './durable/store';
import { createLane } from './durable/lane';
import { knexFor } from './durable/strapi-db';
import { createLogger } from './logger';
import { setMetricSources } from './observability/metrics';
import { startMetricsServer } from './observability/metrics-server';
import { flushErrorTracking, initErrorTracking } from './observability/sentry';
import { providersFromEnv } from './providers';
import { loadStrapi } from './runtime/strapi';
import { waitForCms } from './runtime/wait-for-cms';
import { redisUrlFromEnv } from './settings';
import { startSweeper } from './sweeper';
import { surviveOutages } from './outages';
import { createThrottle } from './throttle';

async function main() {
  const logger = createLogger();
  // Before Strapi loads, so its errors are reported too (the cms's own init then finds it on).
  initErrorTracking('workers', { release: `ovation-workers@${require('../package.json').version}` });
  surviveOutages((message) => logger.warn(message));
  const redisUrl = redisUrlFromEnv();
  if (process.env.WAIT_FOR_CMS !== 'false') await waitForCms(process.env.CMS_URL || 'http://127.0.0.1:1337', logger);

  const strapi = await loadStrapi();
  // Strapi stops the process on these signals by itself; the workers first finish or hand back their jobs.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  const store = createJobStore({ knex: () => knexFor(strapi), postgres: strapi.db.dialect.client === 'postgres' });
  const providers = providersFromEnv();
  const throttle = createThrottle({ redisUrl, log: (message) => logger.warn(message) });
  const lane = createLane({ redisUrl, logger });
  // WORKER_JOBS=round.notify,… runs only those jobs here (dedicated workers per job); all by default.
  const names = process.env.WORKER_JOBS?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names?.filter((name) => !isJobName(name));
  if (unknown?.length) throw new Error(`WORKER_JOBS names jobs that do not exist: ${unknown.join(', ')} (known: ${JOB_NAMES.join(', ')})`);
  const consumers = startConsumers({ strapi, store, providers, logger, redisUrl, throttle: throttle.wait, names: names as JobName[] | undefined });
  const sweeper = startSweeper({ store, lane, redisUrl, logger });
  // The database pool and Redis are connected by the cms's bootstrap (loaded above); the queue is the workers'.
  setMetricSources({ queue: () => store.health(), ...(backupsConfigured() ? { backups: backupMetrics() } : {}) });
  const metricsPort = process.env.WORKER_METRICS_PORT;
  const metricsServer = metricsPort ? await startMetricsServer({ port: Number(metricsPort), token: process.env.METRICS_TOKEN, logger }) : null;
  // Scheduled backups where backups are configured (and this worker runs them).
  const backups = backupsConfigured() && (!names || names.includes('backup.run')) ? startBackupSchedule({ store, logger, cron: backupSettings().cron }) : undefined;
  // Hourly signed checkpoints and the daily retention purge of the audit trail, where it is enabled.
  const audit = strapi.plugin('audit-trail') ? startAuditSchedules({ store, logger, names: names as JobName[] | undefined }) : undefined;
  logger.info(`Workers started: ${consumers.queues.map((q) => q.name).join(', ')} (sms: ${providers.sms.name}, email: ${providers.email.name}; worker ${consumers.owner})`);
  void consumers.ready().then(() => logger.info('Workers connected to Redis'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing active jobs, then stopping`);
    backups?.stop();
    audit?.stop();
    await consumers.close();
    await sweeper.stop();
    await lane.close();
    await throttle.close();
    await metricsServer?.close();
    await strapi.destroy();
    await flushErrorTracking();
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
