import * as React from 'react';
import { Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { ACTIONS, ACTOR_KINDS, type EntryFilters as Filters } from '../api';
import { useActorKindLabel } from './labels';
import { useTranslate } from '../hooks/useTranslate';

/** The select option meaning "no filter" (no action, actor kind or outcome is spelled like this). */
const ANY = '*';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type EntryFiltersProps = { filters: Filters; onApply: (filters: Filters) => void };

/** Narrows the trail by who, what, which document, outcome and days; applied together with one button. */
export const EntryFilters = ({ filters, onApply }: EntryFiltersProps) => {
  const t = useTranslate();
  const actorKindLabel = useActorKindLabel();
  const [draft, setDraft] = React.useState<Filters>(filters);
  const set = (name: keyof Filters) => (value: string | number) =>
    setDraft((previous) => ({ ...previous, [name]: value === ANY || value === '' ? undefined : String(value) }));
  const text = (name: 'actorId' | 'contentType' | 'documentId' | 'from' | 'until', label: string, hint?: string) => (
    <Field.Root name={name} id={`audit-filter-${name}`} minWidth="20rem" hint={hint}>
      <Field.Label>{label}</Field.Label>
      <TextInput value={draft[name] ?? ''} onChange={(event: React.ChangeEvent<HTMLInputElement>) => set(name)(event.target.value.trim())} />
      {hint && <Field.Hint />}
    </Field.Root>
  );
  const badDay = [draft.from, draft.until].some((day) => day && !DAY.test(day));

  return (
    <Flex
      tag="form"
      gap={4}
      wrap="wrap"
      alignItems="end"
      onSubmit={(event: React.FormEvent) => {
        event.preventDefault();
        if (!badDay) onApply(draft);
      }}
    >
      <Field.Root name="action" id="audit-filter-action" minWidth="20rem">
        <Field.Label>{t('filters.action', 'Action')}</Field.Label>
        <SingleSelect value={draft.action ?? ANY} onChange={set('action')}>
          <SingleSelectOption value={ANY}>{t('filters.any', 'Any')}</SingleSelectOption>
          {ACTIONS.map((action) => (
            <SingleSelectOption key={action} value={action}>
              {action}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
      <Field.Root name="actorKind" id="audit-filter-actor-kind" minWidth="20rem">
        <Field.Label>{t('filters.actorKind', 'Actor')}</Field.Label>
        <SingleSelect value={draft.actorKind ?? ANY} onChange={set('actorKind')}>
          <SingleSelectOption value={ANY}>{t('filters.any', 'Any')}</SingleSelectOption>
          {ACTOR_KINDS.map((kind) => (
            <SingleSelectOption key={kind} value={kind}>
              {actorKindLabel(kind)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
      {text('actorId', t('filters.actorId', 'Actor id'))}
      {text('contentType', t('filters.contentType', 'Content type or subject'), 'api::artist.artist, backup')}
      {text('documentId', t('filters.documentId', 'Document id'))}
      <Field.Root name="outcome" id="audit-filter-outcome" minWidth="20rem">
        <Field.Label>{t('filters.outcome', 'Outcome')}</Field.Label>
        <SingleSelect value={draft.outcome ?? ANY} onChange={set('outcome')}>
          <SingleSelectOption value={ANY}>{t('filters.any', 'Any')}</SingleSelectOption>
          <SingleSelectOption value="success">{t('outcome.success', 'Success')}</SingleSelectOption>
          <SingleSelectOption value="failure">{t('outcome.failure', 'Refused')}</SingleSelectOption>
        </SingleSelect>
      </Field.Root>
      {text('from', t('filters.from', 'From (day, UTC)'), 'YYYY-MM-DD')}
      {text('until', t('filters.until', 'Until (day, UTC, included)'), 'YYYY-MM-DD')}
      <Button type="submit" disabled={badDay}>
        {t('filters.apply', 'Apply filters')}
      </Button>
    </Flex>
  );
};
