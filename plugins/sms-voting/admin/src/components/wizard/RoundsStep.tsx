import { Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { useTranslate } from '../../hooks/useTranslate';
import { newKey, type FieldErrors, type WizardForm } from './form';
import { TextField } from './WizardField';

type Round = WizardForm['rounds'][number];
type Props = { rounds: Round[]; eventEnds: string; onChange: (rounds: Round[]) => void; errors: FieldErrors };

/** Step 2: the voting rounds, each with its number, titles and times (in the event's time zone). */
export const RoundsStep = ({ rounds, eventEnds, onChange, errors }: Props) => {
  const t = useTranslate();
  const update = (index: number, patch: Partial<Round>) => onChange(rounds.map((round, i) => (i === index ? { ...round, ...patch } : round)));
  const add = () => {
    const last = rounds[rounds.length - 1];
    const number = rounds.reduce((max, round) => Math.max(max, Number(round.number) || 0), 0) + 1;
    onChange([...rounds, { key: newKey(), number: String(number), title: { en: '', es: '' }, opensAt: last?.closesAt ?? '', closesAt: eventEnds }]);
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {errors.rounds && (
        <Typography textColor="danger600" role="alert">
          {errors.rounds}
        </Typography>
      )}
      {rounds.map((round, index) => {
        const label = t('wizard.round.label', 'Round {number}', { number: round.number || index + 1 });
        return (
          <Box key={round.key} tag="fieldset" padding={4} hasRadius borderColor="neutral200" style={{ border: '1px solid' }}>
            <Typography tag="legend" variant="delta">
              {label}
            </Typography>
            <Grid.Root gap={4}>
              <Grid.Item col={2} xs={12} direction="column" alignItems="stretch">
                <TextField path={`rounds.${index}.number`} type="number" min={1} label={t('wizard.round.number', 'Number')} errors={errors} required value={round.number} onChange={(number) => update(index, { number })} />
              </Grid.Item>
              <Grid.Item col={5} xs={12} direction="column" alignItems="stretch">
                <TextField path={`rounds.${index}.title.en`} label={t('wizard.round.title.en', 'Title (English)')} errors={errors} value={round.title.en} onChange={(en) => update(index, { title: { ...round.title, en } })} />
              </Grid.Item>
              <Grid.Item col={5} xs={12} direction="column" alignItems="stretch">
                <TextField path={`rounds.${index}.title.es`} label={t('wizard.round.title.es', 'Title (Spanish)')} errors={errors} value={round.title.es} onChange={(es) => update(index, { title: { ...round.title, es } })} />
              </Grid.Item>
              <Grid.Item col={5} xs={12} direction="column" alignItems="stretch">
                <TextField path={`rounds.${index}.opensAt`} type="datetime-local" label={t('wizard.round.opensAt', 'Opens')} errors={errors} required value={round.opensAt} onChange={(opensAt) => update(index, { opensAt })} />
              </Grid.Item>
              <Grid.Item col={5} xs={12} direction="column" alignItems="stretch">
                <TextField path={`rounds.${index}.closesAt`} type="datetime-local" label={t('wizard.round.closesAt', 'Closes')} errors={errors} required value={round.closesAt} onChange={(closesAt) => update(index, { closesAt })} />
              </Grid.Item>
              <Grid.Item col={2} xs={12} direction="column" alignItems="stretch" justifyContent="flex-end">
                <Button variant="danger-light" startIcon={<Trash />} disabled={rounds.length === 1} onClick={() => onChange(rounds.filter((_, i) => i !== index))}>
                  {t('wizard.round.remove', 'Remove round {number}', { number: round.number || index + 1 })}
                </Button>
              </Grid.Item>
            </Grid.Root>
          </Box>
        );
      })}
      <Flex>
        <Button variant="secondary" startIcon={<Plus />} onClick={add}>
          {t('wizard.round.add', 'Add a round')}
        </Button>
      </Flex>
    </Flex>
  );
};
