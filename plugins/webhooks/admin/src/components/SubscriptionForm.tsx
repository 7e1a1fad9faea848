import * as React from 'react';
import { Box, Button, Checkbox, Field, Flex, Grid, TextInput, Typography } from '@strapi/design-system';
import type { SubscriptionView } from '../api';
import type { SubscriptionInput } from '../hooks/useWebhooksApi';
import { useTranslate } from '../hooks/useTranslate';

type Props = {
  /** The event types a subscription may ask for (from the server). */
  eventTypes: string[];
  /** The subscription being edited, or null for a new one. */
  editing: SubscriptionView | null;
  onSubmit: (input: SubscriptionInput) => Promise<boolean>;
  onCancel: () => void;
};

const empty = { url: '', eventTypes: [] as string[], description: '', ownerEmail: '' };

/** A new subscription, or one being edited: endpoint, event types, description, owner email. */
export const SubscriptionForm = ({ eventTypes, editing, onSubmit, onCancel }: Props) => {
  const t = useTranslate();
  const [draft, setDraft] = React.useState(empty);
  const [saving, setSaving] = React.useState(false);
  React.useEffect(() => {
    setDraft(editing ? { url: editing.url, eventTypes: editing.eventTypes, description: editing.description ?? '', ownerEmail: editing.ownerEmail ?? '' } : empty);
  }, [editing]);

  const toggle = (type: string, on: boolean) => setDraft((current) => ({ ...current, eventTypes: on ? [...current.eventTypes, type] : current.eventTypes.filter((other) => other !== type) }));
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const saved = await onSubmit({ url: draft.url, eventTypes: draft.eventTypes, description: draft.description || null, ownerEmail: draft.ownerEmail || null });
    setSaving(false);
    if (saved && !editing) setDraft(empty);
  };

  return (
    <form onSubmit={submit} aria-label={editing ? t('form.editLabel', 'Edit subscription') : t('form.newLabel', 'New subscription')}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Grid.Root gap={4}>
          <Grid.Item col={6} s={12}>
            <Field.Root name="url" id="webhook-url" required hint={t('form.url.hint', 'https; never a private address.')}>
              <Field.Label>{t('form.url', 'Endpoint URL')}</Field.Label>
              <TextInput value={draft.url} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, url: e.target.value })} />
              <Field.Hint />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={6} s={12}>
            <Field.Root name="ownerEmail" id="webhook-owner" hint={t('form.owner.hint', 'Told when the subscription is disabled.')}>
              <Field.Label>{t('form.owner', 'Owner email')}</Field.Label>
              <TextInput type="email" value={draft.ownerEmail} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, ownerEmail: e.target.value })} />
              <Field.Hint />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={12}>
            <Field.Root name="description" id="webhook-description">
              <Field.Label>{t('form.description', 'Description')}</Field.Label>
              <TextInput value={draft.description} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, description: e.target.value })} />
            </Field.Root>
          </Grid.Item>
        </Grid.Root>
        <Box tag="fieldset" borderWidth={0} padding={0}>
          <Typography tag="legend" variant="pi" fontWeight="bold">
            {t('form.events', 'Event types')}
          </Typography>
          <Flex gap={4} wrap="wrap" paddingTop={2}>
            {eventTypes.map((type) => (
              <Checkbox key={type} checked={draft.eventTypes.includes(type)} onCheckedChange={(checked: boolean | 'indeterminate') => toggle(type, checked === true)}>
                {type}
              </Checkbox>
            ))}
          </Flex>
        </Box>
        <Flex gap={2}>
          <Button type="submit" loading={saving}>
            {editing ? t('form.save', 'Save') : t('form.create', 'Create subscription')}
          </Button>
          {editing && (
            <Button type="button" variant="tertiary" onClick={onCancel}>
              {t('actions.cancel', 'Cancel')}
            </Button>
          )}
        </Flex>
      </Flex>
    </form>
  );
};
