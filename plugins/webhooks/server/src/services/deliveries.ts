import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { knexFor } from '@ovation/workers/jobs';
import { DELIVERIES_TABLE, deliverJobKey, type AttemptLogEntry, type DeliveryState } from '@ovation/workers/webhooks';
import type { DeliveryView } from '../../../shared/contracts/webhooks';

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

const toView = (row: Row): DeliveryView => ({
  id: Number(row.id),
  messageId: row.message_id as string,
  eventType: row.event_type as string,
  state: row.state as DeliveryState,
  attempts: Number(row.attempts),
  lastStatus: row.last_status === null || row.last_status === undefined ? null : Number(row.last_status),
  lastOutcome: (row.last_outcome as string | null) ?? null,
  lastAttemptAt: iso(row.last_attempt_at),
  nextAttemptAt: iso(row.next_attempt_at),
  createdAt: iso(row.created_at),
  log: (typeof row.attempt_log === 'string' ? JSON.parse(row.attempt_log) : (row.attempt_log ?? [])) as AttemptLogEntry[],
});

/** The delivery log, and sending again: Redeliver, and Retry all failed since. */
const createDeliveries = ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * Sends finished deliveries again, as a new round of the retry schedule: same body, same webhook-id
   * (receivers deduplicate on it), one job each, written in one transaction.
   */
  const requeue = (where: (query: ReturnType<Awaited<ReturnType<typeof knexFor>>>) => void) =>
    strapi.db.transaction(async () => {
      const knex = await knexFor(strapi);
      const query = knex(DELIVERIES_TABLE).whereIn('state', ['succeeded', 'failed']);
      where(query);
      const rows = (await query.update({ state: 'pending', step: 0, round: knex.raw('round + 1'), next_attempt_at: new Date(), updated_at: new Date() }).returning(['id', 'round'])) as Row[];
      await strapi.plugin('ops').service('jobs').enqueueMany(
        'webhook.deliver',
        rows.map((row) => ({ payload: { deliveryId: Number(row.id) }, key: deliverJobKey(Number(row.id), Number(row.round), 0) }))
      );
      return rows.map((row) => Number(row.id));
    });

  return {
    async list(subscriptionId: number, { state, beforeId, limit = 50 }: { state?: DeliveryState; beforeId?: number; limit?: number } = {}) {
      const query = (await knexFor(strapi))(DELIVERIES_TABLE).where({ subscription_id: subscriptionId }).orderBy('id', 'desc').limit(Math.min(limit, 200));
      if (state) query.where({ state });
      if (beforeId) query.where('id', '<', beforeId);
      return ((await query) as Row[]).map(toView);
    },

    async redeliver(deliveryId: number) {
      const row = await (await knexFor(strapi))(DELIVERIES_TABLE).where({ id: deliveryId }).first();
      if (!row) throw new errors.NotFoundError('No such delivery');
      if (row.state === 'pending') throw new errors.ValidationError('This delivery is still being attempted; it can be sent again once it succeeded or failed');
      return requeue((query) => query.where({ id: deliveryId }));
    },

    async retryFailedSince(subscriptionId: number, since: Date) {
      return requeue((query) => query.where({ subscription_id: subscriptionId, state: 'failed' }).where('created_at', '>=', since));
    },
  };
};

export type DeliveriesService = ReturnType<typeof createDeliveries>;
export default createDeliveries;
