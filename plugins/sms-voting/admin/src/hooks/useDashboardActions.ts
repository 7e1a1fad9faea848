import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { adminApi, type Round, type SuspiciousActivity } from '../api';
import { getTranslation } from '../utils/getTranslation';

/**
 * The editor's actions on the live page. `pending` names the action under way (one at a time, since
 * opening a round also closes the others) so the page can disable its buttons until it settles.
 */
export const useDashboardActions = (onSettled: () => Promise<void>) => {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const { formatMessage } = useIntl();
  const [pending, setPending] = React.useState<string | null>(null);

  const run = async (key: string, path: string, success: string) => {
    setPending(key);
    try {
      await post(path, {});
      toggleNotification({ type: 'success', message: success });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: isFetchError(error)
          ? formatAPIError(error)
          : formatMessage({ id: getTranslation('actions.error'), defaultMessage: 'Something went wrong. Try again.' }),
      });
    } finally {
      await onSettled();
      setPending(null);
    }
  };

  return {
    pending,
    openRound: (round: Round) =>
      run(
        `round:${round.documentId}`,
        adminApi.openRound(round.documentId),
        formatMessage(
          { id: getTranslation('rounds.open.success'), defaultMessage: 'Round {number} is open. Fans are being texted their voting link.' },
          { number: round.number }
        )
      ),
    closeRound: (round: Round) =>
      run(
        `round:${round.documentId}`,
        adminApi.closeRound(round.documentId),
        formatMessage({ id: getTranslation('rounds.close.success'), defaultMessage: 'Round {number} is closed.' }, { number: round.number })
      ),
    markReviewed: (activity: SuspiciousActivity) =>
      run(
        `review:${activity.id}`,
        adminApi.review(activity.id),
        formatMessage({ id: getTranslation('review.success'), defaultMessage: 'Marked as reviewed.' })
      ),
  };
};
