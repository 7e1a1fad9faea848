import * as React from 'react';
import { Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { EXPORT_KINDS, type ExportFormat, type ExportKind } from '../../../shared/contracts/privacy';
import { PLUGIN_ID } from '../plugin-id';
import { useTranslate } from '../hooks/useTranslate';

/** Attendees, votes or messages as CSV or JSON, for an event and dates (GET /crm/exports/:kind), saved as a file. */
export const ExportsPanel = () => {
  const t = useTranslate();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [kind, setKind] = React.useState<ExportKind>('attendees');
  const [format, setFormat] = React.useState<ExportFormat>('csv');
  const [event, setEvent] = React.useState('');
  const [from, setFrom] = React.useState('');
  const [to, setTo] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const kinds: Record<ExportKind, string> = { attendees: t('exports.attendees', 'Attendees'), votes: t('exports.votes', 'Votes'), messages: t('exports.messages', 'Messages') };

  const download = async (e: React.FormEvent) => {
    e.preventDefault();
    const query = new URLSearchParams({ format, ...(event.trim() ? { event: event.trim() } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
    setBusy(true);
    try {
      const { data } = await get<Blob>(`/${PLUGIN_ID}/exports/${kind}?${query}`, { responseType: 'blob' });
      const url = URL.createObjectURL(data);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${kind}${event.trim() ? `-${event.trim()}` : ''}.${format}`;
      link.click();
      URL.revokeObjectURL(url);
    } catch {
      toggleNotification({ type: 'danger', message: t('exports.failed', 'The export was refused: check the event id and the dates.') });
    } finally {
      setBusy(false);
    }
  };
  const text = (name: string, label: string, value: string, set: (value: string) => void, type = 'text') => (
    <Field.Root name={name} id={`crm-export-${name}`}>
      <Field.Label>{label}</Field.Label>
      <TextInput type={type} value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(e.target.value)} />
    </Field.Root>
  );

  return (
    <form onSubmit={(e) => void download(e)} aria-label={t('exports.title', 'Exports')}>
      <Flex gap={2} alignItems="flex-end" wrap="wrap">
        <Field.Root name="kind" id="crm-export-kind">
          <Field.Label>{t('exports.kind', 'What')}</Field.Label>
          <SingleSelect value={kind} onChange={(value: string | number) => setKind(value as ExportKind)}>
            {EXPORT_KINDS.map((k) => (
              <SingleSelectOption key={k} value={k}>{kinds[k]}</SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        <Field.Root name="format" id="crm-export-format">
          <Field.Label>{t('exports.format', 'Format')}</Field.Label>
          <SingleSelect value={format} onChange={(value: string | number) => setFormat(value as ExportFormat)}>
            <SingleSelectOption value="csv">CSV</SingleSelectOption>
            <SingleSelectOption value="json">JSON</SingleSelectOption>
          </SingleSelect>
        </Field.Root>
        {text('event', t('exports.event', 'Event (document id, optional)'), event, setEvent)}
        {text('from', t('exports.from', 'From'), from, setFrom, 'date')}
        {text('to', t('exports.to', 'To'), to, setTo, 'date')}
        <Button type="submit" loading={busy}>
          {t('exports.download', 'Download')}
        </Button>
      </Flex>
    </form>
  );
};
