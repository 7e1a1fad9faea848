import * as React from 'react';
import { Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput, Textarea } from '@strapi/design-system';
import type { CampaignInput, CampaignView, SegmentView } from '../api';
import { useCrmApi } from '../hooks/useCrmApi';
import { useTranslate } from '../hooks/useTranslate';

const empty = { name: '', channel: 'sms' as 'sms' | 'email', segmentId: '', eventRef: '', enSubject: '', enBody: '', enText: '', esSubject: '', esBody: '', esText: '' };

/** A new campaign: channel, segment, the event its variables speak of, and the en/es templates. */
export const CampaignEditor = ({ segments, onSaved }: { segments: SegmentView[]; onSaved: (campaign: CampaignView) => void }) => {
  const t = useTranslate();
  const api = useCrmApi();
  const [draft, setDraft] = React.useState(empty);
  const set = (patch: Partial<typeof empty>) => setDraft((current) => ({ ...current, ...patch }));
  // An email's body is its HTML (sanitised by the server); its plain text is made from it unless written.
  const template = (subject: string, body: string, text: string) => ({
    ...(draft.channel === 'email' && subject ? { subject } : {}),
    body,
    ...(draft.channel === 'email' && text ? { text } : {}),
  });

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const input: CampaignInput = {
      name: draft.name,
      channel: draft.channel,
      segmentId: Number(draft.segmentId),
      eventRef: draft.eventRef || null,
      templates: { en: template(draft.enSubject, draft.enBody, draft.enText), ...(draft.esBody ? { es: template(draft.esSubject, draft.esBody, draft.esText) } : {}) },
    };
    const saved = await api.createCampaign(input);
    if (saved) {
      setDraft(empty);
      onSaved(saved);
    }
  };
  const text = (key: keyof typeof empty, label: string, multiline = false) => (
    <Field.Root name={key} id={`campaign-${key}`}>
      <Field.Label>{label}</Field.Label>
      {multiline ? (
        <Textarea value={draft[key]} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set({ [key]: e.target.value })} />
      ) : (
        <TextInput value={draft[key]} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ [key]: e.target.value })} />
      )}
    </Field.Root>
  );

  return (
    <form onSubmit={save} aria-label={t('campaign.new', 'New campaign')}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        {text('name', t('campaign.name', 'Campaign name'))}
        <Flex gap={4}>
          <Field.Root name="channel" id="campaign-channel">
            <Field.Label>{t('campaign.channel', 'Channel')}</Field.Label>
            <SingleSelect value={draft.channel} onChange={(value: string | number) => set({ channel: value as 'sms' | 'email' })}>
              <SingleSelectOption value="sms">SMS</SingleSelectOption>
              <SingleSelectOption value="email">{t('campaign.email', 'Email')}</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
          <Field.Root name="segment" id="campaign-segment">
            <Field.Label>{t('campaign.segment', 'Segment')}</Field.Label>
            <SingleSelect value={draft.segmentId} onChange={(value: string | number) => set({ segmentId: String(value) })}>
              {segments.map((segment) => (
                <SingleSelectOption key={segment.id} value={String(segment.id)}>
                  {segment.name}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          {text('eventRef', t('campaign.event', 'Event (document id)'))}
        </Flex>
        {draft.channel === 'email' ? (
          <>
            {text('enSubject', t('campaign.enSubject', 'Subject (English)'))}
            {text('enBody', t('campaign.enHtml', 'HTML (English); scripts, styles and event handlers are removed when saved'), true)}
            {text('enText', t('campaign.enText', 'Plain text (English, optional: made from the HTML)'), true)}
            {text('esSubject', t('campaign.esSubject', 'Subject (Spanish)'))}
            {text('esBody', t('campaign.esHtml', 'HTML (Spanish, optional)'), true)}
            {text('esText', t('campaign.esText', 'Plain text (Spanish, optional)'), true)}
          </>
        ) : (
          <>
            {text('enBody', t('campaign.enBody', 'Message (English); variables: event.title, event.url, artist.name, fan.first_vote_artist, in double braces'), true)}
            {text('esBody', t('campaign.esBody', 'Message (Spanish, optional)'), true)}
          </>
        )}
        <Flex>
          <Button type="submit">{t('campaign.create', 'Save campaign')}</Button>
        </Flex>
      </Flex>
    </form>
  );
};
