import * as React from 'react';
import { Box, Button, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import type { FanProfile, RevealedContact } from '../../../shared/contracts/privacy';
import { EraseFanDialog } from '../components/EraseFanDialog';
import { ExportsPanel } from '../components/ExportsPanel';
import { FanHistory } from '../components/FanHistory';
import { FanTags } from '../components/FanTags';
import { Section } from '../components/Section';
import { useFanApi } from '../hooks/useFanApi';
import { useTranslate } from '../hooks/useTranslate';
import { PERMISSIONS } from '../permissions';

/** Saves one fan's export as a JSON file in the browser. */
const download = (name: string, data: unknown) => {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
};

/**
 * One fan, found by their exact number or email: their consent, events, votes and messages; their
 * number and email masked unless the viewer may reveal them (each reveal audited); export and erase.
 */
export const FansPage = () => {
  const t = useTranslate();
  const api = useFanApi();
  // Named by the action's last part: `reveal-contact` is `canRevealContact`.
  const { allowedActions } = useRBAC([...PERMISSIONS.reveal, ...PERMISSIONS.export, ...PERMISSIONS.manage]);
  const [query, setQuery] = React.useState('');
  const [searched, setSearched] = React.useState(false);
  const [profile, setProfile] = React.useState<FanProfile | null>(null);
  const [revealed, setRevealed] = React.useState<RevealedContact | null>(null);
  const title = t('fans.title', 'Fans');

  const search = async (event: React.FormEvent) => {
    event.preventDefault();
    setRevealed(null);
    const found = await api.search(query);
    setSearched(found !== null);
    const [fan] = found?.fans ?? [];
    setProfile(fan ? await api.profile(fan.id) : null);
  };
  const fan = profile?.fan;
  const row = (label: string, value: React.ReactNode) => (
    <Flex gap={2}>
      <Typography fontWeight="bold">{label}</Typography>
      <Typography>{value}</Typography>
    </Flex>
  );

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header title={title} subtitle={t('fans.subtitle', 'Find a fan by their exact phone number or email address.')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box tag="form" role="search" aria-label={t('fans.search', 'Find a fan')} onSubmit={(event: React.FormEvent) => void search(event)} background="neutral0" hasRadius shadow="tableShadow" padding={6}>
            <Flex gap={2} alignItems="flex-end">
              <Box grow={1}>
                <Field.Root name="q" id="crm-fan-search">
                  <Field.Label>{t('fans.query', 'Phone number or email')}</Field.Label>
                  <TextInput value={query} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)} placeholder="+1 212 555 0100" />
                </Field.Root>
              </Box>
              <Button type="submit" disabled={query.trim().length < 3}>
                {t('fans.searchButton', 'Search')}
              </Button>
            </Flex>
          </Box>
          {searched && !fan && (
            <Typography role="status">{t('fans.notFound', 'No fan has this number or email.')}</Typography>
          )}
          {fan && (
            <>
              <Section title={t('fans.fan', 'Fan {id}', { id: fan.documentId })}>
                <Flex direction="column" alignItems="stretch" gap={2}>
                  {row(t('fans.phone', 'Phone'), revealed ? (revealed.phone ?? '—') : (fan.phone ?? '—'))}
                  {row(t('fans.email', 'Email'), revealed ? (revealed.email ?? '—') : (fan.email ?? '—'))}
                  {row(t('fans.language', 'Language'), fan.language)}
                  {row(t('fans.country', 'Country'), fan.country ?? '—')}
                  {row(t('fans.firstSeen', 'First seen'), fan.firstSeen ? new Date(fan.firstSeen).toLocaleString() : '—')}
                </Flex>
                <FanTags
                  tags={fan.tags}
                  editable={allowedActions.canManage}
                  onChange={async (tags) => {
                    const saved = await api.setTags(fan.id, tags);
                    if (saved) setProfile((current) => current && { ...current, fan: { ...current.fan, tags: saved.tags } });
                    return saved !== null;
                  }}
                />
                <Flex gap={2}>
                  {allowedActions.canRevealContact && !revealed && (
                    <Button variant="secondary" onClick={async () => setRevealed(await api.reveal(fan.id))}>
                      {t('fans.reveal', 'Reveal phone and email')}
                    </Button>
                  )}
                  {allowedActions.canExport && (
                    <Button
                      variant="secondary"
                      onClick={async () => {
                        const data = await api.exportOne(fan.id);
                        if (data) download(`fan-${fan.documentId}.json`, data);
                      }}
                    >
                      {t('fans.export', 'Export their data')}
                    </Button>
                  )}
                  {allowedActions.canManage && (
                    <EraseFanDialog
                      documentId={fan.documentId}
                      onErase={async (confirm) => {
                        const report = await api.erase(fan.id, confirm);
                        if (report) {
                          setProfile(null);
                          setSearched(false);
                        }
                        return report !== null;
                      }}
                    />
                  )}
                </Flex>
              </Section>
              <FanHistory profile={profile} />
            </>
          )}
          {allowedActions.canExport && (
            <Section title={t('exports.title', 'Exports')} subtitle={t('exports.subtitle', 'Events in privacy mode export pseudonyms instead of fans’ ids, and no contact details.')}>
              <ExportsPanel />
            </Section>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
