import { Alert, Button, Flex, Typography } from '@strapi/design-system';
import { Database } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { BackupList } from '../components/BackupList';
import { JobList } from '../components/JobList';
import { Section } from '../components/Section';
import { useBackups } from '../hooks/useBackups';
import { useTranslate } from '../hooks/useTranslate';

/** The database's backups: each one's verification, Back up now, and a download link. */
export const BackupsPage = () => {
  const t = useTranslate();
  const { formatDate, formatTime } = useIntl();
  const { state, starting, backUpNow, download } = useBackups();
  const title = t('backups.name', 'Backups');

  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  const { overview, updatedAt, stale } = state;
  const time = formatTime(updatedAt, { timeStyle: 'medium' });

  return (
    <Page.Main aria-busy={starting}>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={
          <Flex gap={4} wrap="wrap">
            <Typography variant="epsilon" textColor="neutral600">
              {t('backups.subtitle', 'Encrypted copies of the database in S3. Each one is restored into a scratch database and compared with what was backed up.')}
            </Typography>
            <Typography variant="pi" textColor={stale ? 'danger600' : 'neutral600'} role={stale ? 'status' : undefined}>
              {stale ? t('page.stale.backups', 'Cannot reach the server. Showing backups from {time}; retrying.', { time }) : t('page.updatedAt', 'Updated {time}', { time })}
            </Typography>
          </Flex>
        }
        primaryAction={
          <Button startIcon={<Database />} loading={starting} disabled={!overview.configured} onClick={() => void backUpNow()}>
            {t('backups.now', 'Back up now')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {overview.health.ok ? (
            <Alert variant="success" closeLabel={t('actions.close', 'Close')} title={t('backups.healthy', 'Backups are healthy.')}>
              {t('backups.lastVerified', 'Newest verified backup taken {time}.', { time: formatDate(overview.health.lastVerifiedAt as string, { dateStyle: 'medium', timeStyle: 'short' }) })}
            </Alert>
          ) : (
            <Alert variant="danger" closeLabel={t('actions.close', 'Close')} title={t('backups.unhealthy', 'Backups need attention.')}>
              {overview.health.reason}
            </Alert>
          )}
          {overview.jobs.length > 0 && (
            <Section title={t('backups.jobs', 'Backups under way or failed')}>
              <JobList jobs={overview.jobs} exhausted loadingMore={false} pending={null} onLoadMore={() => undefined} />
            </Section>
          )}
          <Section title={t('backups.list', 'Backups')} subtitle={t('backups.list.subtitle', 'Only complete backups are listed. A download is the encrypted dump: restore it with npm run restore.')}>
            <BackupList backups={overview.backups} onDownload={(id) => void download(id)} />
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
