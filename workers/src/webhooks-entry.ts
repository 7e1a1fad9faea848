// What the webhooks plugin imports (`@ovation/workers/webhooks`): the event types, signing, sealing and
// the address checks the cms applies when a subscription is saved, the same the workers apply when
// they deliver.
export { WEBHOOK_EVENT_TYPES, isWebhookEventType, eventTypesOf, SUBSCRIPTIONS_TABLE, DELIVERIES_TABLE, type WebhookEventType } from './webhooks/event-types';
export { generateSecret, sign, signedHeaders } from './webhooks/signing';
export { webhookMessage, fanoutJobKey, subscribersOf, writeDeliveries, type WebhookMessage } from './webhooks/events';
export { seal, unseal } from './webhooks/sealing';
export { checkEndpoint, isForbiddenAddress, urlProblem, ForbiddenDestinationError } from './webhooks/address-guard';
export { webhookSettings, DEFAULT_RETRY_SCHEDULE_MS, type WebhookSettings } from './webhooks/settings';
export { deliverJobKey, type AttemptLogEntry, type DeliveryState } from './webhooks/deliveries';
export { WEBHOOK_PAYLOADS, type WebhookPayload, type WebhookBody } from './webhooks/payloads';
