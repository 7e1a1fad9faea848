import * as React from 'react';
import { Flex, Typography } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import type { JobFilters as Filters, JobRow } from '../api';
import { JobCounts } from '../components/JobCounts';
import { JobFilters } from '../components/JobFilters';
import { JobList } from '../components/JobList';
import { RetryDialog } from '../components/RetryDialog';
import { Section } from '../components/Section';
import { useJobs } from '../hooks/useJobs';
import { useRetryJob } from '../hooks/useRetryJob';
import { useTranslate } from '../hooks/useTranslate';

/** What the engineer on call opens: every background job's state, its last error, and Retry. */
export const JobsPage = () => {
  const t = useTranslate();
  const { formatTime } = useIntl();
  const [filters, setFilters] = React.useState<Filters>({});
  const [confirming, setConfirming] = React.useState<JobRow | null>(null);
  const { state, loadingMore, loadMore, refresh } = useJobs(filters);
  const { pending, retry } = useRetryJob(refresh);
  const title = t('plugin.name', 'Jobs');

  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;

  const { summary, jobs, exhausted, updatedAt, stale } = state;
  const time = formatTime(updatedAt, { timeStyle: 'medium' });
  return (
    <Page.Main aria-busy={pending !== null}>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={
          <Flex gap={4} wrap="wrap">
            <Typography variant="epsilon" textColor="neutral600">
              {t('page.subtitle', 'Background work: queued, running, done, failed after its last attempt, or dead after its worker died running it too often.')}
            </Typography>
            {stale ? (
              <Typography variant="pi" textColor="danger600" role="status">
                {t('page.stale', 'Cannot reach the server. Showing jobs from {time}; retrying.', { time })}
              </Typography>
            ) : (
              <Typography variant="pi" textColor="neutral600">
                {t('page.updatedAt', 'Updated {time}', { time })}
              </Typography>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <JobCounts summary={summary} />
          <Section
            title={t('jobs.title', 'Newest jobs')}
            subtitle={t('jobs.subtitle', 'Retry sends a failed or dead job back to the queue with fresh attempts.')}
          >
            <JobFilters names={summary.names} states={summary.states} filters={filters} onChange={setFilters} />
            <JobList
              jobs={jobs}
              exhausted={exhausted}
              loadingMore={loadingMore}
              pending={pending}
              onLoadMore={() => void loadMore()}
              onRetry={setConfirming}
            />
          </Section>
        </Flex>
      </Layouts.Content>
      <RetryDialog
        job={confirming}
        onCancel={() => setConfirming(null)}
        onConfirm={(job) => {
          setConfirming(null);
          void retry(job);
        }}
      />
    </Page.Main>
  );
};
