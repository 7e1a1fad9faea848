import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { backupHealth, backupIdFor, backupsConfigured, createBackupService, type BackupService } from '@ovation/workers/backups';
import { auditTrail } from '@ovation/workers/jobs';
import { getService } from '../utils/get-service';

/** A listing read from S3 serves every admin for this long (each backup is two small reads). */
const LIST_CACHE_MS = 5_000;

/**
 * Backups as the admin sees them: the list (from the bucket: only backups with a manifest, with
 * their verification), their health, Back up now (a `backup.run` job), download links.
 */
const createBackups = ({ strapi }: { strapi: Core.Strapi }) => {
  let service: BackupService | undefined;
  let cached: { at: number; list: Promise<Awaited<ReturnType<BackupService['list']>>> } | undefined;
  const backups = () => (service ??= createBackupService({ log: (line) => strapi.log.info(line) }));

  const list = () => {
    if (!cached || Date.now() - cached.at > LIST_CACHE_MS) {
      const pending = backups().list();
      cached = { at: Date.now(), list: pending };
      pending.catch(() => (cached = undefined));
    }
    return cached.list;
  };

  return {
    configured: () => backupsConfigured(),

    async overview() {
      const [listed, jobs] = await Promise.all([list(), getService(strapi, 'jobs').store.list({ name: 'backup.run', limit: 20 })]);
      return { backups: listed, health: backupHealth(listed), jobs: jobs.filter((job) => job.state !== 'done') };
    },

    /**
     * For readiness checks and metrics: not ok when the newest backup failed its verification or the
     * newest verified one is older than 26 hours; null where backups are not configured.
     */
    async health() {
      return backupsConfigured() ? backupHealth(await list()) : null;
    },

    /** Back up now: a job of its own, run by the next free worker. */
    /** Queues a backup, and records who asked for it in the audit trail, in one transaction. */
    async backUpNow() {
      const backupId = backupIdFor(new Date(), `admin-${crypto.randomBytes(3).toString('hex')}`);
      const { id } = await strapi.db.transaction(async () => {
        const job = await getService(strapi, 'jobs').enqueue('backup.run', { backupId }, { key: `backup.run:manual:${backupId}` });
        await auditTrail(strapi)?.record({ action: 'backup.request', subject: 'backup', id: backupId, details: { jobId: job.id } });
        return job;
      });
      cached = undefined;
      return { backupId, jobId: id };
    },

    async downloadUrl(id: string) {
      const listed = (await list()).find((backup) => backup.id === id);
      return listed ? backups().downloadUrl(id) : null;
    },

    async shutdown() {
      service?.destroy();
      service = undefined;
    },
  };
};

export type BackupsService = ReturnType<typeof createBackups>;
export default createBackups;
