import { PLUGIN_ID } from './plugin-id';

// Types only: the workers' package is CommonJS for Node, not for the admin's bundle (the event types
// come from the server, with the list of subscriptions).
export type { DeliveryView, Requeued, SubscriptionListing, SubscriptionView, SubscriptionWithSecret } from '../../shared/contracts/webhooks';

export type Outcome = 'pending' | 'succeeded' | 'failed';
export const OUTCOMES: Outcome[] = ['pending', 'succeeded', 'failed'];

/** The plugin's admin API (server/src/routes/admin.ts), as the Webhooks page calls it. */
export const webhooksApi = {
  subscriptions: () => `/${PLUGIN_ID}/subscriptions`,
  subscription: (id: number) => `/${PLUGIN_ID}/subscriptions/${id}`,
  rotate: (id: number) => `/${PLUGIN_ID}/subscriptions/${id}/rotate`,
  test: (id: number) => `/${PLUGIN_ID}/subscriptions/${id}/test`,
  deliveries: (id: number, outcome?: Outcome) => `/${PLUGIN_ID}/subscriptions/${id}/deliveries${outcome ? `?outcome=${outcome}` : ''}`,
  retryFailed: (id: number) => `/${PLUGIN_ID}/subscriptions/${id}/retry-failed`,
  redeliver: (deliveryId: number) => `/${PLUGIN_ID}/deliveries/${deliveryId}/redeliver`,
};
