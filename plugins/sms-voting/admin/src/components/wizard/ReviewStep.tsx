import { Box, Flex, Typography } from '@strapi/design-system';
import type { ArtistChoice } from '../../../../shared/contracts';
import { useTranslate } from '../../hooks/useTranslate';
import { artistName, type WizardForm } from './form';

const Row = ({ term, children }: { term: string; children: React.ReactNode }) => (
  <Flex gap={2} tag="div">
    <Typography tag="dt" fontWeight="semiBold">
      {term}:
    </Typography>
    <Typography tag="dd">{children || '—'}</Typography>
  </Flex>
);

/** Step 4: everything at a glance before it is saved. */
export const ReviewStep = ({ form, artists }: { form: WizardForm; artists: ArtistChoice[] }) => {
  const t = useTranslate();
  const { details } = form;
  const noNew = t('wizard.review.new', 'new');
  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Box tag="section" aria-labelledby="wizard-review-details">
        <Typography id="wizard-review-details" tag="h3" variant="delta">
          {t('wizard.step.details', 'Details')}
        </Typography>
        <Flex tag="dl" direction="column" alignItems="stretch" gap={1} paddingTop={2}>
          <Row term={t('wizard.title.en', 'Title (English)')}>{details.title.en}</Row>
          <Row term={t('wizard.title.es', 'Title (Spanish)')}>{details.title.es}</Row>
          <Row term={t('wizard.venue', 'Venue')}>{[details.venue, details.city].filter(Boolean).join(', ')}</Row>
          <Row term={t('wizard.when', 'When')}>{`${details.startsAt.replace('T', ' ')} – ${details.endsAt.replace('T', ' ')} (${details.timezone})`}</Row>
          <Row term={t('wizard.keyword', 'SMS keyword')}>{details.keyword}</Row>
          <Row term={t('wizard.capacity', 'Capacity')}>{details.capacity || t('wizard.review.noLimit', 'No limit')}</Row>
        </Flex>
      </Box>
      <Box tag="section" aria-labelledby="wizard-review-rounds">
        <Typography id="wizard-review-rounds" tag="h3" variant="delta">
          {t('wizard.step.rounds', 'Rounds')}
        </Typography>
        <Box tag="ul" paddingTop={2}>
          {form.rounds.map((round) => (
            <Typography key={round.key} tag="li">
              {`${t('wizard.round.label', 'Round {number}', { number: round.number })}${round.title.en ? ` · ${round.title.en}` : ''}: ${round.opensAt.replace('T', ' ')} – ${round.closesAt.replace('T', ' ')}`}
            </Typography>
          ))}
        </Box>
      </Box>
      <Box tag="section" aria-labelledby="wizard-review-lineup">
        <Typography id="wizard-review-lineup" tag="h3" variant="delta">
          {t('wizard.step.lineup', 'Lineup')}
        </Typography>
        <Box tag="ul" paddingTop={2}>
          {form.lineup.map((entry) => (
            <Typography key={entry.key} tag="li">
              {`${entry.voteCode} · ${entry.isNew ? `${entry.newName} (${noNew})` : artistName(artists, entry.artistId)}`}
            </Typography>
          ))}
        </Box>
      </Box>
    </Flex>
  );
};
