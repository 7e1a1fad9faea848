import * as React from 'react';
import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { RoundNotifications } from '../api';
import { useTranslate } from '../hooks/useTranslate';

type Count = Exclude<keyof RoundNotifications, 'job'>;

/** The counts shown after "sent" when they are not zero, in this order; `alert` ones are drawn in red. */
const PARTS: { count: Count; message: string; alert?: boolean }[] = [
  { count: 'queued', message: 'queued {count}' },
  { count: 'sending', message: 'sending {count}' },
  { count: 'failed', message: 'failed {count}', alert: true },
  { count: 'unknown', message: 'unknown {count} (may have been delivered)', alert: true },
  { count: 'suppressed', message: 'stopped {count} (opted out after queueing)' },
  { count: 'skipped', message: 'skipped {count} (opted out)' },
];

/** One compact line under a round: how many fans got their voting link, and what became of the rest. */
export const NotificationProgress = ({ notifications }: { notifications: RoundNotifications }) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const shown = PARTS.filter(({ count }) => notifications[count] > 0);
  const jobFailed = notifications.job && (notifications.job.state === 'failed' || notifications.job.state === 'dead');

  return (
    // Strapi's tables do not wrap their text; this line may, so the round's other columns stay in view.
    <Flex direction="column" alignItems="start" style={{ whiteSpace: 'normal' }}>
      <Typography variant="pi" textColor="neutral600">
        {t('notifications.label', 'Notifications:')}{' '}
        {t('notifications.sent', 'sent {count}', { count: formatNumber(notifications.sent) })}
        {shown.map(({ count, message, alert }) => (
          <React.Fragment key={count}>
            {' · '}
            <Typography variant="pi" tag="span" textColor={alert ? 'danger600' : 'neutral600'} fontWeight={alert ? 'semiBold' : undefined}>
              {t(`notifications.${count}`, message, { count: formatNumber(notifications[count]) })}
            </Typography>
          </React.Fragment>
        ))}
      </Typography>
      {jobFailed && (
        <Typography variant="pi" textColor="danger600">
          {t('notifications.jobFailed', 'Texting the fans stopped: {error}', {
            error: notifications.job?.lastError ?? t('notifications.jobFailed.noError', 'no error recorded'),
          })}
        </Typography>
      )}
    </Flex>
  );
};
