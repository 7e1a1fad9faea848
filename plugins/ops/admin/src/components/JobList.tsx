import { Box, Button, Flex, Loader, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { isRetryable, type JobRow } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { JobStateBadge } from './JobStateBadge';
import { TableHead } from './TableHead';

type JobListProps = {
  /** null while the rows for new filters load. */
  jobs: JobRow[] | null;
  exhausted: boolean;
  loadingMore: boolean;
  /** The id of the job being retried: every Retry button waits for it. */
  pending: number | null;
  onLoadMore: () => void;
  /** Without it (a page for people who may not retry jobs), no Retry button. */
  onRetry?: (job: JobRow) => void;
};

/** The newest jobs first, each with its attempts, its last error and, when it failed, a Retry button. */
export const JobList = ({ jobs, exhausted, loadingMore, pending, onLoadMore, onRetry }: JobListProps) => {
  const t = useTranslate();
  const { formatDate, formatNumber, formatTime } = useIntl();
  // Date over time, so the table fits a laptop screen with its Retry buttons in view.
  const when = (value: string | null) =>
    value ? (
      <Flex direction="column" alignItems="start">
        <Typography textColor="neutral600">{formatDate(value, { dateStyle: 'short' })}</Typography>
        <Typography textColor="neutral600">{formatTime(value, { timeStyle: 'medium' })}</Typography>
      </Flex>
    ) : (
      <Typography textColor="neutral600">—</Typography>
    );

  if (jobs === null) return <Loader>{t('jobs.loading', 'Loading jobs…')}</Loader>;
  if (jobs.length === 0) return <Typography textColor="neutral600">{t('jobs.empty', 'No jobs match these filters.')}</Typography>;

  const columns = [
    t('jobs.column.id', 'ID'),
    t('jobs.column.name', 'Job and key'),
    t('jobs.column.state', 'State'),
    t('jobs.column.attempts', 'Attempts'),
    t('jobs.column.crashes', 'Crashes'),
    t('jobs.column.dueAt', 'Due'),
    t('jobs.column.finishedAt', 'Finished'),
    t('jobs.column.lastError', 'Last error'),
    t('jobs.column.action', 'Action'),
  ];

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Table colCount={columns.length} rowCount={jobs.length + 1}>
        <TableHead columns={columns} />
        <Tbody>
          {jobs.map((job) => (
            <Tr key={job.id} data-job-id={job.id}>
              <Td>
                <Typography>{job.id}</Typography>
              </Td>
              <Td>
                <Flex direction="column" alignItems="start" maxWidth="24rem">
                  <Typography fontWeight="semiBold">{job.name}</Typography>
                  <Typography ellipsis title={job.key} textColor="neutral600" variant="pi" width="100%">
                    {job.key}
                  </Typography>
                </Flex>
              </Td>
              <Td>
                <JobStateBadge state={job.state} />
              </Td>
              <Td>
                <Typography>
                  {t('jobs.attempts', '{attempts} of {maxAttempts}', {
                    attempts: formatNumber(job.attempts),
                    maxAttempts: formatNumber(job.maxAttempts),
                  })}
                </Typography>
              </Td>
              <Td>
                <Typography textColor={job.crashes > 0 ? 'danger600' : 'neutral800'}>{formatNumber(job.crashes)}</Typography>
              </Td>
              <Td>{when(job.dueAt)}</Td>
              <Td>{when(job.finishedAt)}</Td>
              <Td>
                <Box maxWidth="24rem">
                  {job.lastError ? (
                    <Typography ellipsis title={job.lastError} textColor="danger600" variant="pi">
                      {job.lastError}
                    </Typography>
                  ) : (
                    <Typography textColor="neutral600">—</Typography>
                  )}
                </Box>
              </Td>
              <Td>
                {onRetry && isRetryable(job) && (
                  <Button
                    size="S"
                    variant="secondary"
                    startIcon={<ArrowClockwise />}
                    aria-label={t('jobs.retry.label', 'Retry job {id}', { id: job.id })}
                    disabled={pending !== null}
                    loading={pending === job.id}
                    onClick={() => onRetry(job)}
                  >
                    {t('jobs.retry', 'Retry')}
                  </Button>
                )}
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {!exhausted && (
        <Flex justifyContent="center">
          <Button variant="tertiary" loading={loadingMore} onClick={onLoadMore}>
            {t('jobs.loadMore', 'Load more')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
};
