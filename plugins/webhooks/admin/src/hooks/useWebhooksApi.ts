import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { webhooksApi, type DeliveryView, type Outcome, type Requeued, type SubscriptionListing, type SubscriptionView, type SubscriptionWithSecret } from '../api';
import { useTranslate } from './useTranslate';

export type SubscriptionInput = { url: string; eventTypes: string[]; description: string | null; ownerEmail: string | null; active?: boolean };

/**
 * The Webhooks page's calls: each one tells the person how it went (the server's own message when it
 * refuses, e.g. a 400 naming the field) and resolves to its result, or to null when it failed.
 */
export const useWebhooksApi = () => {
  const { get, post, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();

  const attempt = React.useCallback(
    async <T,>(call: () => Promise<{ data: { data: T } }>, success?: string, whole = false): Promise<T | null> => {
      try {
        const { data } = await call();
        if (success) toggleNotification({ type: 'success', message: success });
        return whole ? (data as T) : data.data;
      } catch (error) {
        toggleNotification({ type: 'danger', message: isFetchError(error) ? formatAPIError(error) : t('actions.error', 'Something went wrong. Try again.') });
        return null;
      }
    },
    [toggleNotification, formatAPIError, t]
  );

  return React.useMemo(
    () => ({
      list: () => attempt<SubscriptionListing>(() => get(webhooksApi.subscriptions()), undefined, true),
      create: (input: SubscriptionInput) => attempt<SubscriptionWithSecret>(() => post(webhooksApi.subscriptions(), input)),
      update: (id: number, input: Partial<SubscriptionInput>) => attempt<SubscriptionView>(() => put(webhooksApi.subscription(id), input), t('subscription.saved', 'Subscription saved.')),
      rotate: (id: number) => attempt<SubscriptionWithSecret>(() => post(webhooksApi.rotate(id), {})),
      sendTest: (id: number) => attempt<Requeued>(() => post(webhooksApi.test(id), {}), t('subscription.tested', 'Test event queued.')),
      deliveries: (id: number, outcome?: Outcome) => attempt<DeliveryView[]>(() => get(webhooksApi.deliveries(id, outcome))),
      redeliver: (deliveryId: number) => attempt<Requeued>(() => post(webhooksApi.redeliver(deliveryId), {}), t('delivery.redelivered', 'Delivery queued again.')),
      retryFailed: (id: number, since: string) =>
        attempt<Requeued>(() => post(webhooksApi.retryFailed(id), { since })),
    }),
    [attempt, get, post, put, t]
  );
};
