import { Button, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { SuspiciousActivity, SuspiciousKind } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { Section } from './Section';
import { TableHead } from './TableHead';

const KIND_LABELS: Record<SuspiciousKind, string> = {
  join_burst_prefix: 'Many joins from one phone number prefix',
  vote_burst_ip: 'Many web votes from one IP address',
};

type ReviewListProps = {
  activity: SuspiciousActivity[];
  pending: string | null;
  onMarkReviewed: (activity: SuspiciousActivity) => Promise<void>;
};

/** Bursts the server noticed for this event and nobody has looked at yet, newest first. */
export const ReviewList = ({ activity, pending, onMarkReviewed }: ReviewListProps) => {
  const t = useTranslate();
  const { formatDate, formatNumber } = useIntl();
  const columns = [
    t('review.column.kind', 'What'),
    t('review.column.subject', 'From'),
    t('review.column.count', 'Count'),
    t('review.column.window', 'Minute starting'),
    t('review.column.action', 'Action'),
  ];

  return (
    <Section
      title={t('review.title', 'Suspicious activity')}
      subtitle={t('review.subtitle', 'Nobody is blocked by this list: rate limits do that. Look, then mark each burst reviewed.')}
    >
      {activity.length === 0 ? (
        <Typography textColor="neutral600">{t('review.empty', 'Nothing to review.')}</Typography>
      ) : (
        <Table colCount={columns.length} rowCount={activity.length + 1}>
          <TableHead columns={columns} />
          <Tbody>
            {activity.map((item) => (
              <Tr key={item.id}>
                <Td>
                  <Typography>{t(`review.kind.${item.kind}`, KIND_LABELS[item.kind] ?? item.kind)}</Typography>
                </Td>
                <Td>
                  <Typography fontWeight="semiBold">{item.subject}</Typography>
                </Td>
                <Td>
                  <Typography>{formatNumber(item.count)}</Typography>
                </Td>
                <Td>
                  <Typography textColor="neutral600">{formatDate(new Date(item.windowStartedAt), { dateStyle: 'short', timeStyle: 'short' })}</Typography>
                </Td>
                <Td>
                  <Button
                    size="S"
                    variant="secondary"
                    startIcon={<Check />}
                    disabled={pending !== null}
                    loading={pending === `review:${item.id}`}
                    onClick={() => void onMarkReviewed(item)}
                  >
                    {t('review.markReviewed', 'Mark reviewed')}
                  </Button>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};
