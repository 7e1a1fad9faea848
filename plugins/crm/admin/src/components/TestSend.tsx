import * as React from 'react';
import { Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import type { CampaignView } from '../api';
import { useCrmApi } from '../hooks/useCrmApi';
import { useTranslate } from '../hooks/useTranslate';

/**
 * "Send test" for one campaign: the chosen language's message, to the admin's own address (email)
 * or to a number typed here (SMS), marked as a test in the outbox and sent without consent checks.
 */
export const TestSend = ({ campaign, onClose }: { campaign: CampaignView; onClose: () => void }) => {
  const t = useTranslate();
  const api = useCrmApi();
  const [language, setLanguage] = React.useState<'en' | 'es'>('en');
  const [to, setTo] = React.useState('');
  const languages = (['en', 'es'] as const).filter((code) => campaign.templates[code]);
  const title = t('test.title', 'Send a test of {name}', { name: campaign.name });

  const send = async (event: React.FormEvent) => {
    event.preventDefault();
    if (await api.sendTest(campaign.id, campaign.channel === 'sms' ? { language, to } : { language })) onClose();
  };

  return (
    <form onSubmit={send} aria-label={title}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography variant="delta" tag="h3">{title}</Typography>
        <Flex gap={4} alignItems="flex-end">
          <Field.Root name="test-language" id="test-language">
            <Field.Label>{t('test.language', 'Language')}</Field.Label>
            <SingleSelect value={language} onChange={(value: string | number) => setLanguage(value as 'en' | 'es')}>
              {languages.map((code) => (
                <SingleSelectOption key={code} value={code}>{code === 'en' ? 'English' : 'Español'}</SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          {campaign.channel === 'sms' ? (
            <Field.Root name="test-to" id="test-to" required>
              <Field.Label>{t('test.number', 'Send to this number (+14155550100)')}</Field.Label>
              <TextInput type="tel" value={to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTo(e.target.value)} />
            </Field.Root>
          ) : (
            <Typography>{t('test.ownAddress', 'It goes to your own email address.')}</Typography>
          )}
          <Button type="submit">{t('test.send', 'Send test')}</Button>
          <Button type="button" variant="tertiary" onClick={onClose}>{t('test.close', 'Close')}</Button>
        </Flex>
      </Flex>
    </form>
  );
};
