import type { AttemptLogEntry, DeliveryState, WebhookEventType } from '@ovation/workers/webhooks';

/** A subscription as the admin API shows it: never its secret (shown once, when made or rotated). */
export type SubscriptionView = {
  id: number;
  documentId: string;
  url: string;
  eventTypes: WebhookEventType[];
  active: boolean;
  description: string | null;
  ownerEmail: string | null;
  /** Until then the previous secret still signs too (a rotation's overlap). */
  previousSecretExpiresAt: string | null;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  createdAt: string | null;
};

/** `GET /webhooks/subscriptions`: newest first, and the event types a subscription may ask for. */
export type SubscriptionListing = { data: SubscriptionView[]; meta: { eventTypes: WebhookEventType[] } };

/** `POST /webhooks/subscriptions` and `POST /webhooks/subscriptions/:id/rotate`: the secret, this once. */
export type SubscriptionWithSecret = { subscription: SubscriptionView; secret: string };

/** One event for one subscription, with every attempt. */
export type DeliveryView = {
  id: number;
  messageId: string;
  eventType: string;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastOutcome: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string | null;
  log: AttemptLogEntry[];
};

/** `GET /webhooks/subscriptions/:id/deliveries`: newest first. */
export type DeliveryList = { data: DeliveryView[] };

/** `POST /webhooks/deliveries/:id/redeliver`, `POST /webhooks/subscriptions/:id/retry-failed`, `POST /webhooks/subscriptions/:id/test`. */
export type Requeued = { deliveries: number[] };
