import * as React from 'react';
import { Flex } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import type { SubscriptionListing, SubscriptionView } from '../api';
import { DeliveryLog } from '../components/DeliveryLog';
import { SecretDialog } from '../components/SecretDialog';
import { Section } from '../components/Section';
import { SubscriptionForm } from '../components/SubscriptionForm';
import { SubscriptionList } from '../components/SubscriptionList';
import { useTranslate } from '../hooks/useTranslate';
import { useWebhooksApi, type SubscriptionInput } from '../hooks/useWebhooksApi';
import { PERMISSIONS } from '../permissions';

/** Partners' subscriptions: create and edit them, see each secret once, rotate, test, and read the delivery log. */
export const WebhooksPage = () => {
  const t = useTranslate();
  const api = useWebhooksApi();
  const { allowedActions } = useRBAC({ manage: PERMISSIONS.manage });
  const canManage = Boolean(allowedActions.canManage);
  const [listing, setListing] = React.useState<SubscriptionListing | null>(null);
  const [editing, setEditing] = React.useState<SubscriptionView | null>(null);
  const [selected, setSelected] = React.useState<SubscriptionView | null>(null);
  const [secret, setSecret] = React.useState<string | null>(null);
  const title = t('plugin.name', 'Partner webhooks');

  const refresh = React.useCallback(async () => setListing((await api.list()) ?? { data: [], meta: { eventTypes: [] } }), [api]);
  React.useEffect(() => {
    void refresh();
  }, [refresh]);

  const save = async (input: SubscriptionInput) => {
    if (editing) {
      const updated = await api.update(editing.id, input);
      if (updated) setEditing(null);
      await refresh();
      return Boolean(updated);
    }
    const created = await api.create(input);
    if (created) setSecret(created.secret);
    await refresh();
    return Boolean(created);
  };
  const rotate = async (subscription: SubscriptionView) => {
    const rotated = await api.rotate(subscription.id);
    if (rotated) setSecret(rotated.secret);
    await refresh();
  };
  const toggle = async (subscription: SubscriptionView) => {
    await api.update(subscription.id, { active: !subscription.active });
    await refresh();
  };

  if (listing === null) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t('page.subtitle', 'Signed webhooks to partners (Standard Webhooks), retried for a day and a half, every attempt logged.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('subscriptions.title', 'Subscriptions')}>
            <SubscriptionList
              subscriptions={listing.data}
              selected={selected?.id ?? null}
              canManage={canManage}
              onSelect={setSelected}
              onEdit={setEditing}
              onToggle={(subscription) => void toggle(subscription)}
              onRotate={(subscription) => void rotate(subscription)}
              onTest={(subscription) => void api.sendTest(subscription.id)}
            />
          </Section>
          {canManage && (
            <Section
              title={editing ? t('form.editTitle', 'Edit {url}', { url: editing.url }) : t('form.newTitle', 'New subscription')}
              subtitle={t('form.subtitle', 'The signing secret is shown once, when the subscription is created or its secret rotated.')}
            >
              <SubscriptionForm eventTypes={listing.meta.eventTypes} editing={editing} onSubmit={save} onCancel={() => setEditing(null)} />
            </Section>
          )}
          {selected && (
            <Section title={t('deliveries.title', 'Deliveries to {url}', { url: selected.url })}>
              <DeliveryLog subscription={selected} canManage={canManage} />
            </Section>
          )}
        </Flex>
      </Layouts.Content>
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </Page.Main>
  );
};
