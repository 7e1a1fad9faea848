import { backupSettings, backupsConfigured } from './backup/settings';
import { backupMetrics } from './backup/metrics-source';
import { startBackupSchedule } from './backup/schedule';
import { startAuditSchedules } from './audit/schedule';
import { startCrmSchedules } from './crm/schedule';
import { isJobName, JOB_NAMES, needsApp, type JobName } from './catalogue';
import { startConsumers } from './consumer';
import { createJobStore } from './durable/store';
import { createLane } from './durable/lane';
import { createLogger } from './logger';
import { setMetricSources } from './observability/metrics';
import { startMetricsServer } from './observability/metrics-server';
import { flushErrorTracking, initErrorTracking } from './observability/sentry';
import { providersFromEnv } from './providers';
import { databaseRuntime, strapiRuntime } from './runtime/app';
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
  // WORKER_JOBS=round.notify,… runs only those jobs here (dedicated workers per job); all by default.
  const names = process.env.WORKER_JOBS?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names?.filter((name) => !isJobName(name));
  if (unknown?.length) throw new Error(`WORKER_JOBS names jobs that do not exist: ${unknown.join(', ')} (known: ${JOB_NAMES.join(', ')})`);
  const jobs = (names as JobName[] | undefined) ?? JOB_NAMES;

  // The cms creates the tables (jobs, audit trail) at boot: start once it is up.
  if (process.env.WAIT_FOR_CMS !== 'false') await waitForCms(process.env.CMS_URL || 'http://127.0.0.1:1337', logger);
  // Strapi only where a job here uses the app's services; a backup worker opens the database alone.
  const app = needsApp(jobs) ? strapiRuntime(await loadStrapi()) : databaseRuntime();
  // Strapi stops the process on these signals by itself; the workers first finish or hand back their jobs.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  const store = createJobStore({ knex: app.knex, postgres: app.postgres });
  const providers = providersFromEnv();
  const throttle = createThrottle({ redisUrl, log: (message) => logger.warn(message) });
  const lane = createLane({ redisUrl, logger });
  const consumers = startConsumers({ app, store, providers, logger, redisUrl, throttle: throttle.wait, names: jobs });
  const sweeper = startSweeper({ store, lane, redisUrl, logger });
  // Where Strapi is loaded, its bootstrap connected the database pool and Redis; the queue is the workers'.
  setMetricSources({ ...app.metricSources, queue: () => store.health(), ...(backupsConfigured() ? { backups: backupMetrics() } : {}) });
  const metricsPort = process.env.WORKER_METRICS_PORT;
  const metricsServer = metricsPort ? await startMetricsServer({ port: Number(metricsPort), token: process.env.METRICS_TOKEN, logger }) : null;
  // Scheduled backups where backups are configured (and this worker runs them).
  const backups = backupsConfigured() && jobs.includes('backup.run') ? startBackupSchedule({ store, logger, cron: backupSettings().cron }) : undefined;
  // Hourly signed checkpoints and the daily retention purge of the audit trail, where this worker runs them and the trail is enabled.
  const audit = app.strapi?.plugin('audit-trail') ? startAuditSchedules({ store, logger, names: jobs }) : undefined;
  // The CRM's daily retention purge (CRM_RETENTION_DAYS), where the plugin is enabled and this worker runs it.
  const crm = app.strapi?.plugin('crm') ? startCrmSchedules({ store, logger, names: jobs }) : undefined;
  logger.info(`Workers started: ${consumers.queues.map((q) => q.name).join(', ')} (sms: ${providers.sms.name}, email: ${providers.email.name}; ${app.strapi ? 'with the app' : 'database only'}; worker ${consumers.owner})`);
  void consumers.ready().then(() => logger.info('Workers connected to Redis'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing active jobs, then stopping`);
    backups?.stop();
    audit?.stop();
    crm?.stop();
    await consumers.close();
    await sweeper.stop();
    await lane.close();
    await throttle.close();
    await metricsServer?.close();
    await app.destroy();
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
