import { PermanentJobError } from '../errors';
import { auditKeeping } from '../runtime/audit';
import type { JobHandler } from './types';

/**
 * Purges the audit trail's entries older than AUDIT_RETENTION_DAYS, each batch anchored by a signed
 * checkpoint and recorded as an `audit.purge` entry of this job's. Safe to run again: what is left
 * is younger than the cut-off.
 */
export const purgeAuditTrail: JobHandler<'audit.purge'> = async ({ slot }, { strapi, logger }) => {
  const retention = auditKeeping(strapi, 'retention');
  if (!retention) throw new PermanentJobError('audit.purge needs the audit-trail plugin');
  const result = await retention.purge();
  logger.info('audit.purge done', { slot, ...result });
  return { slot, ...result };
};
