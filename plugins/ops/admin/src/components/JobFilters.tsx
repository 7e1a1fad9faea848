import { Field, Flex, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { JobFilters as Filters, JobState } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { useStateLabel } from './JobStateBadge';

/** The select option meaning "no filter" (no job name or state is spelled like this). */
const ANY = '*';

type JobFiltersProps = {
  names: string[];
  states: JobState[];
  filters: Filters;
  onChange: (filters: Filters) => void;
};

/** Narrows the job list to one job name, one state, or both. */
export const JobFilters = ({ names, states, filters, onChange }: JobFiltersProps) => {
  const t = useTranslate();
  const stateLabel = useStateLabel();
  const chosen = (value: string | number) => (value === ANY ? undefined : String(value));

  return (
    <Flex gap={4} wrap="wrap" alignItems="end">
      <Field.Root name="name" id="ops-jobs-filter-name" minWidth="24rem">
        <Field.Label>{t('filters.name', 'Job')}</Field.Label>
        <SingleSelect value={filters.name ?? ANY} onChange={(value) => onChange({ ...filters, name: chosen(value) })}>
          <SingleSelectOption value={ANY}>{t('filters.name.any', 'All jobs')}</SingleSelectOption>
          {names.map((name) => (
            <SingleSelectOption key={name} value={name}>
              {name}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
      <Field.Root name="state" id="ops-jobs-filter-state" minWidth="24rem">
        <Field.Label>{t('filters.state', 'State')}</Field.Label>
        <SingleSelect
          value={filters.state ?? ANY}
          onChange={(value) => onChange({ ...filters, state: chosen(value) as JobState | undefined })}
        >
          <SingleSelectOption value={ANY}>{t('filters.state.any', 'All states')}</SingleSelectOption>
          {states.map((state) => (
            <SingleSelectOption key={state} value={state}>
              {stateLabel(state)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
    </Flex>
  );
};
