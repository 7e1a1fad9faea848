import { Box, Button, Combobox, ComboboxOption, Field, Flex, Grid, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import type { ArtistChoice } from '../../../../shared/contracts';
import { useTranslate } from '../../hooks/useTranslate';
import { duplicateCodes, newKey, suggestCode, type FieldErrors, type WizardForm } from './form';
import { fieldId, TextField } from './WizardField';

type Entry = WizardForm['lineup'][number];
type Props = { lineup: Entry[]; artists: ArtistChoice[]; onChange: (lineup: Entry[]) => void; errors: FieldErrors };

/** Step 3: who plays, picked from the artists or created by name, each with the code fans vote with. */
export const LineupStep = ({ lineup, artists, onChange, errors }: Props) => {
  const t = useTranslate();
  const update = (index: number, patch: Partial<Entry>) => onChange(lineup.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)));
  const add = (isNew: boolean) => onChange([...lineup, { key: newKey(), artistId: '', newName: '', isNew, voteCode: suggestCode(lineup) }]);
  const duplicates = duplicateCodes(lineup);
  const taken = new Set(lineup.map((entry) => entry.artistId));

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {errors.lineup && (
        <Typography textColor="danger600" role="alert">
          {errors.lineup}
        </Typography>
      )}
      {lineup.length === 0 && <Typography textColor="neutral600">{t('wizard.lineup.empty', 'No artists yet: add the ones who play.')}</Typography>}
      {lineup.map((entry, index) => {
        const position = index + 1;
        const codeErrors = duplicates.has(index) && !errors[`lineup.${index}.voteCode`]
          ? { ...errors, [`lineup.${index}.voteCode`]: t('wizard.lineup.duplicateCode', 'Another artist in this lineup has this code') }
          : errors;
        return (
          <Box key={entry.key} tag="fieldset" padding={4} hasRadius borderColor="neutral200" style={{ border: '1px solid' }}>
            <Typography tag="legend" variant="delta">
              {t('wizard.lineup.label', 'Artist {position}', { position })}
            </Typography>
            <Grid.Root gap={4}>
              <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
                {entry.isNew ? (
                  <TextField
                    path={`lineup.${index}.artist`}
                    label={t('wizard.lineup.newName', 'New artist’s name')}
                    hint={t('wizard.lineup.newHint', 'Created with the event')}
                    errors={errors}
                    required
                    value={entry.newName}
                    onChange={(newName) => update(index, { newName })}
                  />
                ) : (
                  <Field.Root name={`lineup.${index}.artist`} id={fieldId(`lineup.${index}.artist`)} error={errors[`lineup.${index}.artist`]} required>
                    <Field.Label>{t('wizard.lineup.artist', 'Artist')}</Field.Label>
                    <Combobox
                      value={entry.artistId}
                      // The list is virtualised: with hundreds of artists the chosen one's option may not be
                      // rendered, so its name is given, not looked up among the options on screen.
                      defaultTextValue={artists.find((artist) => artist.documentId === entry.artistId)?.name}
                      onChange={(value?: string) => update(index, { artistId: value ?? '' })}
                      autocomplete={{ type: 'list', filter: 'contains' }}
                      placeholder={t('wizard.lineup.pick', 'Type a name')}
                    >
                      {artists
                        .filter((artist) => artist.documentId === entry.artistId || !taken.has(artist.documentId))
                        .map((artist) => (
                          <ComboboxOption key={artist.documentId} value={artist.documentId}>
                            {artist.name}
                          </ComboboxOption>
                        ))}
                    </Combobox>
                    <Field.Error />
                  </Field.Root>
                )}
              </Grid.Item>
              <Grid.Item col={3} xs={12} direction="column" alignItems="stretch">
                <TextField
                  path={`lineup.${index}.voteCode`}
                  label={t('wizard.lineup.voteCode', 'Vote code')}
                  hint={t('wizard.lineup.voteCodeHint', 'What fans text to vote')}
                  errors={codeErrors}
                  required
                  autoComplete="off"
                  value={entry.voteCode}
                  onChange={(voteCode) => update(index, { voteCode: voteCode.toUpperCase() })}
                />
              </Grid.Item>
              <Grid.Item col={3} xs={12} direction="column" alignItems="stretch" justifyContent="flex-end">
                <Button variant="danger-light" startIcon={<Trash />} onClick={() => onChange(lineup.filter((_, i) => i !== index))}>
                  {t('wizard.lineup.remove', 'Remove artist {position}', { position })}
                </Button>
              </Grid.Item>
            </Grid.Root>
          </Box>
        );
      })}
      <Flex gap={2}>
        <Button variant="secondary" startIcon={<Plus />} onClick={() => add(false)}>
          {t('wizard.lineup.addExisting', 'Add an existing artist')}
        </Button>
        <Button variant="secondary" startIcon={<Plus />} onClick={() => add(true)}>
          {t('wizard.lineup.addNew', 'Add a new artist')}
        </Button>
      </Flex>
    </Flex>
  );
};
