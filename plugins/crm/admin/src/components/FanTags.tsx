import * as React from 'react';
import { Box, Button, Field, Flex, IconButton, TextInput, Typography } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../../../shared/contracts/privacy';
import { useTranslate } from '../hooks/useTranslate';

/**
 * A fan's tags, what segments' tag rules read: listed for everyone who sees the fan, added and
 * removed by a user who may manage the CRM (each change saved at once, and audited).
 */
export const FanTags = ({ tags, editable, onChange }: { tags: string[]; editable: boolean; onChange: (tags: string[]) => Promise<boolean> }) => {
  const t = useTranslate();
  const [draft, setDraft] = React.useState('');
  const [saving, setSaving] = React.useState(false);
  const save = async (next: string[]) => {
    setSaving(true);
    const saved = await onChange(next);
    setSaving(false);
    return saved;
  };
  const add = async (event: React.FormEvent) => {
    event.preventDefault();
    const tag = draft.trim();
    if (!tag || tags.includes(tag)) return setDraft('');
    if (await save([...tags, tag])) setDraft('');
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Flex gap={2}>
        <Typography id="crm-fan-tags" fontWeight="bold">
          {t('fans.tags', 'Tags')}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {t('fans.tagHint', 'Segments can pick fans by their tags.')}
        </Typography>
      </Flex>
      {tags.length === 0 ? (
        <Typography>{t('fans.noTags', 'No tags yet.')}</Typography>
      ) : (
        <Flex tag="ul" aria-labelledby="crm-fan-tags" gap={2} wrap="wrap">
          {tags.map((tag) => (
            <Flex tag="li" key={tag} gap={1} background="primary100" hasRadius paddingLeft={2} paddingRight={editable ? 0 : 2} paddingTop={1} paddingBottom={1}>
              <Typography textColor="primary700">{tag}</Typography>
              {editable && (
                <IconButton variant="ghost" size="XS" label={t('fans.removeTag', 'Remove tag {tag}', { tag })} disabled={saving} onClick={() => void save(tags.filter((other) => other !== tag))}>
                  <Cross />
                </IconButton>
              )}
            </Flex>
          ))}
        </Flex>
      )}
      {editable && tags.length < MAX_TAGS && (
        <Box tag="form" onSubmit={(event: React.FormEvent) => void add(event)}>
          <Flex gap={2} alignItems="flex-end">
            <Field.Root name="tag" id="crm-fan-new-tag">
              <Field.Label>{t('fans.newTag', 'New tag')}</Field.Label>
              <TextInput value={draft} maxLength={MAX_TAG_LENGTH} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft(e.target.value)} placeholder="vip" />
            </Field.Root>
            <Button type="submit" variant="secondary" disabled={saving || draft.trim().length === 0}>
              {t('fans.addTag', 'Add tag')}
            </Button>
          </Flex>
        </Box>
      )}
    </Flex>
  );
};
