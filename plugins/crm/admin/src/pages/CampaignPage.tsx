import * as React from 'react';
import { Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';
import type { CampaignProgress, CampaignStats, DeliveryCounts } from '../api';
import { DeliveryChart } from '../components/DeliveryChart';
import { Section } from '../components/Section';
import { useCrmApi } from '../hooks/useCrmApi';
import { useTranslate } from '../hooks/useTranslate';

const COUNTS: (keyof DeliveryCounts)[] = ['recipients', 'sent', 'delivered', 'failed', 'clicked', 'optedOut'];

/** One campaign: sent, delivered, failed, clicked and opted out, per language, by the hour, and why messages failed. */
export const CampaignPage = () => {
  const { id = '' } = useParams<{ id: string }>();
  const t = useTranslate();
  const { formatDate } = useIntl();
  const api = useCrmApi();
  const [state, setState] = React.useState<{ progress: CampaignProgress; stats: CampaignStats } | 'loading' | 'missing'>('loading');

  const refresh = React.useCallback(async () => {
    const [progress, stats] = await Promise.all([api.progress(Number(id)), api.stats(Number(id))]);
    setState(progress && stats ? { progress, stats } : 'missing');
  }, [api, id]);
  React.useEffect(() => {
    void refresh();
  }, [refresh]);

  if (state === 'loading') return <Page.Loading />;
  if (state === 'missing') return <Page.Error />;

  const { progress, stats } = state;
  const heading: Record<keyof DeliveryCounts, string> = {
    recipients: t('stats.recipients', 'Recipients'),
    sent: t('stats.sent', 'Sent'),
    delivered: t('stats.delivered', 'Delivered'),
    failed: t('stats.failed', 'Failed'),
    clicked: t('stats.clicked', 'Clicked'),
    optedOut: t('stats.optedOut', 'Opted out after it'),
  };
  const languageName = (language: string) =>
    ({ en: t('stats.english', 'English'), es: t('stats.spanish', 'Spanish'), unknown: t('stats.erased', 'No longer on file') })[language] ?? language;
  const hour = (iso: string) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
  const rows: [string, DeliveryCounts][] = [[t('stats.total', 'All languages'), stats.totals], ...Object.entries(stats.byLanguage).map(([language, counts]) => [languageName(language), counts as DeliveryCounts] as [string, DeliveryCounts])];
  const chartTitle = t('stats.chart', 'Messages sent, delivered, failed and clicked per hour; the numbers are in the table that follows.');

  return (
    <Page.Main>
      <Page.Title>{progress.campaign.name}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback=".." />}
        title={progress.campaign.name}
        subtitle={
          stats.startedAt
            ? t('stats.started', '{channel} campaign, {state}, started {time}', { channel: progress.campaign.channel.toUpperCase(), state: progress.campaign.state, time: hour(stats.startedAt) })
            : t('stats.notStarted', '{channel} campaign, {state}, not started yet', { channel: progress.campaign.channel.toUpperCase(), state: progress.campaign.state })
        }
        primaryAction={<Button variant="secondary" onClick={() => void refresh()}>{t('stats.refresh', 'Refresh')}</Button>}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('stats.delivery', 'Delivery by language')} subtitle={t('stats.deliveryHint', 'Each recipient counts once: clicked means followed a link at least once.')}>
            <Table colCount={COUNTS.length + 1} rowCount={rows.length + 1}>
              <Thead>
                <Tr>
                  <Th><Typography variant="sigma">{t('stats.language', 'Language')}</Typography></Th>
                  {COUNTS.map((key) => <Th key={key}><Typography variant="sigma">{heading[key]}</Typography></Th>)}
                </Tr>
              </Thead>
              <Tbody>
                {rows.map(([name, counts]) => (
                  <Tr key={name}>
                    <Td><Typography fontWeight="bold">{name}</Typography></Td>
                    {COUNTS.map((key) => <Td key={key}><Typography>{counts[key]}</Typography></Td>)}
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Section>
          <Section title={t('stats.overTime', 'Over time')}>
            {stats.timeline.length === 0 ? (
              <Typography>{t('stats.nothingYet', 'Nothing has been sent yet.')}</Typography>
            ) : (
              <>
                <DeliveryChart timeline={stats.timeline} title={chartTitle} labels={{ sent: heading.sent, delivered: heading.delivered, failed: heading.failed, clicked: heading.clicked }} />
                <Table colCount={5} rowCount={stats.timeline.length + 1}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">{t('stats.hour', 'Hour')}</Typography></Th>
                      {(['sent', 'delivered', 'failed', 'clicked'] as const).map((key) => <Th key={key}><Typography variant="sigma">{heading[key]}</Typography></Th>)}
                    </Tr>
                  </Thead>
                  <Tbody>
                    {stats.timeline.map((entry) => (
                      <Tr key={entry.hour}>
                        <Td><Typography>{hour(entry.hour)}</Typography></Td>
                        {(['sent', 'delivered', 'failed', 'clicked'] as const).map((key) => <Td key={key}><Typography>{entry[key]}</Typography></Td>)}
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              </>
            )}
          </Section>
          <Section title={t('stats.failures', 'Failures')}>
            {stats.failures.length === 0 ? (
              <Typography>{t('stats.noFailures', 'No message has failed.')}</Typography>
            ) : (
              <Table colCount={3} rowCount={stats.failures.length + 1}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">{t('stats.reason', 'Reason')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('stats.code', 'Error code')}</Typography></Th>
                    <Th><Typography variant="sigma">{t('stats.messages', 'Messages')}</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {stats.failures.map((failure) => (
                    <Tr key={`${failure.errorCode}:${failure.reason}`}>
                      <Td><Typography>{failure.reason}</Typography></Td>
                      <Td><Typography>{failure.errorCode ?? '—'}</Typography></Td>
                      <Td><Typography>{failure.count}</Typography></Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
