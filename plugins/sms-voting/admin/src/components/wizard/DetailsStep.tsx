import { Grid, Typography } from '@strapi/design-system';
import type { KeywordCheck } from '../../hooks/useKeywordCheck';
import { useTranslate } from '../../hooks/useTranslate';
import type { FieldErrors, WizardForm } from './form';
import { SelectField, TextField } from './WizardField';

type Details = WizardForm['details'];
type Props = { details: Details; onChange: (patch: Partial<Details>) => void; errors: FieldErrors; keyword: KeywordCheck };

/** Step 1: what the event is, where and when, its SMS keyword and its rules. */
export const DetailsStep = ({ details, onChange, errors, keyword }: Props) => {
  const t = useTranslate();
  const keywordProblems: Record<string, string> = {
    invalid: t('wizard.keyword.invalid', '2 to 20 letters or digits'),
    reserved: t('wizard.keyword.reserved', 'This word is an SMS command (such as JOIN, STOP or HELP)'),
    taken: t('wizard.keyword.taken', 'Another event uses this keyword'),
    vote_code: t('wizard.keyword.voteCode', 'Another event uses this word as a vote code'),
  };
  const keywordStatus =
    keyword.status === 'checking'
      ? t('wizard.keyword.checking', 'Checking…')
      : keyword.status === 'done'
        ? keyword.result.available
          ? t('wizard.keyword.available', '{keyword} is available', { keyword: keyword.result.keyword })
          : keywordProblems[keyword.result.problem ?? 'invalid']
        : keyword.status === 'error'
          ? t('wizard.keyword.error', 'Could not check the keyword')
          : t('wizard.keyword.hint', 'Fans text it to join the event');
  const keywordErrors = keyword.status === 'done' && !keyword.result.available && !errors['details.keyword'] ? { ...errors, 'details.keyword': keywordStatus } : errors;
  const bilingual = (field: 'title' | 'description', label: { en: string; es: string }, multiline = false) =>
    (['en', 'es'] as const).map((locale) => (
      <Grid.Item key={locale} col={6} xs={12} direction="column" alignItems="stretch">
        <TextField
          path={`details.${field}.${locale}`}
          label={label[locale]}
          errors={errors}
          required={field === 'title'}
          multiline={multiline}
          value={details[field][locale]}
          onChange={(value) => onChange({ [field]: { ...details[field], [locale]: value } })}
        />
      </Grid.Item>
    ));

  return (
    <Grid.Root gap={4}>
      {bilingual('title', { en: t('wizard.title.en', 'Title (English)'), es: t('wizard.title.es', 'Title (Spanish)') })}
      {bilingual('description', { en: t('wizard.description.en', 'Description (English)'), es: t('wizard.description.es', 'Description (Spanish)') }, true)}
      <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
        <TextField path="details.venue" label={t('wizard.venue', 'Venue')} errors={errors} value={details.venue} onChange={(venue) => onChange({ venue })} />
      </Grid.Item>
      <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
        <TextField path="details.city" label={t('wizard.city', 'City')} errors={errors} value={details.city} onChange={(city) => onChange({ city })} />
      </Grid.Item>
      <Grid.Item col={4} xs={12} direction="column" alignItems="stretch">
        <TextField
          path="details.timezone"
          label={t('wizard.timezone', 'Time zone')}
          hint={t('wizard.timezone.hint', 'Such as Europe/Madrid; the times below are in it')}
          errors={errors}
          required
          value={details.timezone}
          onChange={(timezone) => onChange({ timezone })}
        />
      </Grid.Item>
      <Grid.Item col={4} xs={12} direction="column" alignItems="stretch">
        <TextField path="details.startsAt" type="datetime-local" label={t('wizard.startsAt', 'Starts')} errors={errors} required value={details.startsAt} onChange={(startsAt) => onChange({ startsAt })} />
      </Grid.Item>
      <Grid.Item col={4} xs={12} direction="column" alignItems="stretch">
        <TextField path="details.endsAt" type="datetime-local" label={t('wizard.endsAt', 'Ends')} errors={errors} required value={details.endsAt} onChange={(endsAt) => onChange({ endsAt })} />
      </Grid.Item>
      <Grid.Item col={4} xs={12} direction="column" alignItems="stretch">
        <TextField
          path="details.keyword"
          label={t('wizard.keyword', 'SMS keyword')}
          hint={keyword.status === 'done' && !keyword.result.available ? undefined : keywordStatus}
          errors={keywordErrors}
          required
          autoComplete="off"
          value={details.keyword}
          onChange={(value) => onChange({ keyword: value.toUpperCase() })}
        />
        {/* Read out when the answer arrives, wherever the focus is. */}
        <Typography variant="pi" tag="p" role="status" aria-live="polite" style={{ position: 'absolute', left: -10000 }}>
          {keyword.status === 'done' ? keywordStatus : ''}
        </Typography>
      </Grid.Item>
      <Grid.Item col={4} xs={12} direction="column" alignItems="stretch">
        <TextField
          path="details.capacity"
          type="number"
          min={1}
          label={t('wizard.capacity', 'Capacity')}
          hint={t('wizard.capacity.hint', 'Empty for no limit')}
          errors={errors}
          value={details.capacity}
          onChange={(capacity) => onChange({ capacity })}
        />
      </Grid.Item>
      <Grid.Item col={4} xs={12} direction="column" alignItems="stretch" />
      <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
        <SelectField
          path="details.resultsVisibility"
          label={t('wizard.resultsVisibility', 'Results')}
          errors={errors}
          value={details.resultsVisibility}
          onChange={(value) => onChange({ resultsVisibility: value as Details['resultsVisibility'] })}
          options={[
            { value: 'public', label: t('wizard.resultsVisibility.public', 'Public while voting') },
            { value: 'after_close', label: t('wizard.resultsVisibility.after_close', 'Public once a round closes') },
            { value: 'private', label: t('wizard.resultsVisibility.private', 'Private (editors only)') },
          ]}
        />
      </Grid.Item>
      <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
        <SelectField
          path="details.privacyMode"
          label={t('wizard.privacyMode', 'Privacy')}
          errors={errors}
          value={details.privacyMode}
          onChange={(value) => onChange({ privacyMode: value as Details['privacyMode'] })}
          options={[
            { value: 'standard', label: t('wizard.privacyMode.standard', 'Standard') },
            { value: 'anonymous', label: t('wizard.privacyMode.anonymous', 'Anonymous') },
          ]}
        />
      </Grid.Item>
    </Grid.Root>
  );
};
