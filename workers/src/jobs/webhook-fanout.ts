import { transactionProducer } from '../durable/producer';
import { subscribersOf, writeDeliveries } from '../webhooks/events';
import type { JobHandler } from './types';

/**
 * Turns one webhook event into its deliveries: one per active subscription that wants it, each with
 * its first attempt's job, in one transaction handed to the workers once it commits. The cms writes
 * only this job with the change that caused the event, so a publish costs one row whatever the number
 * of subscriptions. Run again (a crash before its completion was recorded), it adds nothing.
 */
export const fanOutWebhook: JobHandler<'webhook.fanout'> = async (message, { app, handOff }) => {
  const knex = await app.knex();
  const { deliveries, due } = await knex.transaction(async (trx) => {
    const producer = transactionProducer(trx, app.postgres);
    return { deliveries: await writeDeliveries(trx, message, await subscribersOf(trx, message.type), producer.enqueueMany), due: producer.due };
  });
  await handOff(due);
  return { messageId: message.messageId, type: message.type, deliveries: deliveries.length };
};
