import type { JobName } from '../catalogue';
import { fanOutCampaign } from './campaign-fanout';
import { purgeCrmRetention } from './crm-retention';
import { writeCheckpoint } from './audit-checkpoint';
import { purgeAuditTrail } from './audit-purge';
import { runBackup } from './backup-run';
import { sendMessage } from './message-send';
import { notifyRound } from './round-notify';
import type { JobHandler } from './types';
import { deliverWebhook } from './webhook-deliver';
import { fanOutWebhook } from './webhook-fanout';
import { notifyDisabledWebhook } from './webhook-notify';

export type { JobContext, JobHandler } from './types';

/** The handler of every job in the catalogue; a job without one does not compile. */
export const handlers: { [N in JobName]: JobHandler<N> } = {
  'message.send': sendMessage,
  'round.notify': notifyRound,
  'backup.run': runBackup,
  'audit.checkpoint': writeCheckpoint,
  'audit.purge': purgeAuditTrail,
  'webhook.fanout': fanOutWebhook,
  'webhook.deliver': deliverWebhook,
  'webhook.notify': notifyDisabledWebhook,
  'campaign.fanout': fanOutCampaign,
  'crm.retention': purgeCrmRetention,
};
