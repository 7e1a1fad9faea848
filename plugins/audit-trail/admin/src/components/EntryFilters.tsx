import * as React from 'react';
import { Box, Button, Field, Flex, Grid, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
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
  const text = (name: 'actorId' | 'contentType' | 'documentId' | 'from' | 'until', label: string, placeholder?: string) => (
    <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
      <Field.Root name={name} id={`audit-filter-${name}`}>
        <Field.Label>{label}</Field.Label>
        <TextInput
          value={draft[name] ?? ''}
          placeholder={placeholder}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => set(name)(event.target.value.trim())}
        />
      </Field.Root>
    </Grid.Item>
  );
  const select = (name: 'action' | 'actorKind' | 'outcome', label: string, options: [string, string][]) => (
    <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="stretch">
      <Field.Root name={name} id={`audit-filter-${name}`}>
        <Field.Label>{label}</Field.Label>
        <SingleSelect value={draft[name] ?? ANY} onChange={set(name)}>
          <SingleSelectOption value={ANY}>{t('filters.any', 'Any')}</SingleSelectOption>
          {options.map(([value, text]) => (
            <SingleSelectOption key={value} value={value}>
              {text}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
    </Grid.Item>
  );
  const badDay = [draft.from, draft.until].some((day) => day && !DAY.test(day));

  return (
    <Box
      tag="form"
      onSubmit={(event: React.FormEvent) => {
        event.preventDefault();
        if (!badDay) onApply(draft);
      }}
    >
      <Grid.Root gap={4}>
        {select('action', t('filters.action', 'Action'), ACTIONS.map((action) => [action, action]))}
        {select('actorKind', t('filters.actorKind', 'Actor'), ACTOR_KINDS.map((kind) => [kind, actorKindLabel(kind)]))}
        {text('actorId', t('filters.actorId', 'Actor id'))}
        {select('outcome', t('filters.outcome', 'Outcome'), [
          ['success', t('outcome.success', 'Success')],
          ['failure', t('outcome.failure', 'Refused')],
        ])}
        {text('contentType', t('filters.contentType', 'Content type or subject'), 'api::artist.artist')}
        {text('documentId', t('filters.documentId', 'Document id'))}
        {text('from', t('filters.from', 'From (day, UTC)'), 'YYYY-MM-DD')}
        {text('until', t('filters.until', 'Until (day, UTC, included)'), 'YYYY-MM-DD')}
      </Grid.Root>
      <Flex paddingTop={4} gap={4}>
        <Button type="submit" disabled={badDay}>
          {t('filters.apply', 'Apply filters')}
        </Button>
        {badDay && (
          <Typography textColor="danger600" role="alert">
            {t('filters.badDay', 'Write days as YYYY-MM-DD.')}
          </Typography>
        )}
      </Flex>
    </Box>
  );
};
