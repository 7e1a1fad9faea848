import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { BACKUP_ID } from '@ovation/workers/backups';
import type { BackupsOverview, BackUpNowResult, BackupDownload } from '../../../shared/contracts/backups';
import { getService } from '../utils/get-service';

type Ctx = { params: Record<string, string>; body: unknown; status: number };

const notConfigured = () => new errors.ApplicationError('Backups are not configured: set BACKUP_S3_BUCKET and BACKUP_ENCRYPTION_KEY (see the README, Operations)');

/** The admin's Backups page: the list with verification results and health, Back up now, downloads. */
const createBackupsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async overview(ctx: Ctx) {
    const service = getService(strapi, 'backups');
    if (!service.configured()) {
      ctx.body = { data: { configured: false, backups: [], health: { ok: false, reason: 'Backups are not configured', lastVerifiedAt: null, lastVerifiedAgeMs: null }, jobs: [] } satisfies BackupsOverview };
      return;
    }
    ctx.body = { data: { configured: true, ...(await service.overview()) } satisfies BackupsOverview };
  },

  async create(ctx: Ctx) {
    const service = getService(strapi, 'backups');
    if (!service.configured()) throw notConfigured();
    ctx.status = 202;
    ctx.body = { data: (await service.backUpNow()) satisfies BackUpNowResult };
  },

  async download(ctx: Ctx) {
    if (!BACKUP_ID.test(ctx.params.id ?? '')) throw new errors.ValidationError('Not a backup id');
    const service = getService(strapi, 'backups');
    if (!service.configured()) throw notConfigured();
    const url = await service.downloadUrl(ctx.params.id);
    if (!url) throw new errors.NotFoundError('No such backup');
    ctx.body = { data: { url, expiresInSeconds: 300 } satisfies BackupDownload };
  },
});

export default createBackupsController;
