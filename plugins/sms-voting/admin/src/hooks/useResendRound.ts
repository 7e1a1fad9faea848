import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { adminApi, type Round } from '../api';
import { useTranslate } from './useTranslate';

/**
 * Queues a second notification pass for an open round (fans never texted, messages that failed),
 * then `onSettled` (the dashboard's refresh, when the page passes it) so the counts move at once.
 */
export const useResendRound = (onSettled?: () => Promise<void>) => {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();
  const [pending, setPending] = React.useState<string | null>(null);

  const resend = async (round: Round) => {
    setPending(round.documentId);
    try {
      await post(adminApi.resendRound(round.documentId), {});
      toggleNotification({
        type: 'success',
        message: t('notifications.resend.success', 'Round {number}: texting the fans not reached yet.', { number: round.number }),
      });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('actions.error', 'Something went wrong. Try again.'),
      });
    } finally {
      await onSettled?.();
      setPending(null);
    }
  };

  return { pending, resend };
};
