import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { adminApi, type JobRow } from '../api';
import { useTranslate } from './useTranslate';

/**
 * Sends a failed or dead job back to the queue, then refreshes the page (`onSettled`) so its row
 * and the counts show the result. `pending` is the id of the job being retried, if any.
 */
export const useRetryJob = (onSettled: () => Promise<void>) => {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();
  const [pending, setPending] = React.useState<number | null>(null);

  const retry = async (job: JobRow) => {
    setPending(job.id);
    try {
      await post(adminApi.retry(job.id), {});
      toggleNotification({ type: 'success', message: t('retry.success', 'Job {id} is queued again.', { id: job.id }) });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('actions.error', 'Something went wrong. Try again.'),
      });
    } finally {
      await onSettled();
      setPending(null);
    }
  };

  return { pending, retry };
};
