import { PermanentJobError } from '../errors';
import { auditKeeping } from '../runtime/audit';
import type { JobHandler } from './types';

/**
 * Signs a checkpoint of the audit trail's head for its hourly slot, recorded in the trail as this
 * job's. The slot makes it idempotent: a redelivered job returns the checkpoint its first run wrote.
 */
export const writeCheckpoint: JobHandler<'audit.checkpoint'> = async ({ slot }, { strapi }) => {
  const checkpoints = auditKeeping(strapi, 'checkpoints');
  if (!checkpoints) throw new PermanentJobError('audit.checkpoint needs the audit-trail plugin');
  const { seq, hash, keyId } = await checkpoints.write({ reason: 'scheduled', slot });
  return { slot, seq, hash, keyId };
};
