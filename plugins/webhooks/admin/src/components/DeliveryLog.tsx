import * as React from 'react';
import { Badge, Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { OUTCOMES, type DeliveryView, type Outcome, type SubscriptionView } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { useWebhooksApi } from '../hooks/useWebhooksApi';
import { TableHead } from './TableHead';

const ALL = 'all';
const badge: Record<Outcome, [string, string]> = { pending: ['warning100', 'warning700'], succeeded: ['success100', 'success700'], failed: ['danger100', 'danger700'] };
const hourAgo = () => new Date(Date.now() - 3_600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** One subscription's deliveries, newest first, each with its attempts; Redeliver, and Retry all failed since. */
export const DeliveryLog = ({ subscription, canManage }: { subscription: SubscriptionView; canManage: boolean }) => {
  const t = useTranslate();
  const api = useWebhooksApi();
  const { formatDate, formatTime } = useIntl();
  const [outcome, setOutcome] = React.useState<Outcome | typeof ALL>(ALL);
  const [deliveries, setDeliveries] = React.useState<DeliveryView[] | null>(null);
  const [since, setSince] = React.useState(hourAgo);

  const load = React.useCallback(async () => {
    setDeliveries((await api.deliveries(subscription.id, outcome === ALL ? undefined : outcome)) ?? []);
  }, [api, subscription.id, outcome]);
  React.useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 3_000);
    return () => clearInterval(timer);
  }, [load]);

  const when = (value: string | null) => (value ? `${formatDate(value, { dateStyle: 'short' })} ${formatTime(value, { timeStyle: 'medium' })}` : '—');
  const retryFailed = async () => {
    const result = await api.retryFailed(subscription.id, new Date(since).toISOString());
    if (result) await load();
  };
  const columns = [t('deliveries.column.created', 'Created'), t('deliveries.column.event', 'Event and id'), t('deliveries.column.outcome', 'Outcome'), t('deliveries.column.attempts', 'Attempts'), t('deliveries.column.action', 'Action')];

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={4} alignItems="end" wrap="wrap">
        <Field.Root name="outcome" id="webhook-delivery-outcome">
          <Field.Label>{t('deliveries.filter', 'Outcome')}</Field.Label>
          <SingleSelect value={outcome} onChange={(value: string | number) => setOutcome(value as Outcome | typeof ALL)}>
            <SingleSelectOption value={ALL}>{t('deliveries.all', 'All')}</SingleSelectOption>
            {OUTCOMES.map((value) => (
              <SingleSelectOption key={value} value={value}>{value}</SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        {canManage && (
          <>
            <Field.Root name="since" id="webhook-retry-since">
              <Field.Label>{t('deliveries.since', 'Failed since')}</Field.Label>
              <TextInput type="datetime-local" value={since} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSince(e.target.value)} />
            </Field.Root>
            <Button variant="secondary" onClick={() => void retryFailed()}>
              {t('deliveries.retryFailed', 'Retry all failed since')}
            </Button>
          </>
        )}
      </Flex>
      {deliveries === null ? null : deliveries.length === 0 ? (
        <Typography textColor="neutral600">{t('deliveries.empty', 'No deliveries match.')}</Typography>
      ) : (
        <Table colCount={columns.length} rowCount={deliveries.length + 1}>
          <TableHead columns={columns} />
          <Tbody>
            {deliveries.map((delivery) => (
              <Tr key={delivery.id} data-delivery-id={delivery.id}>
                <Td><Typography textColor="neutral600">{when(delivery.createdAt)}</Typography></Td>
                <Td>
                  <Flex direction="column" alignItems="start">
                    <Typography fontWeight="semiBold">{delivery.eventType}</Typography>
                    <Typography variant="pi" textColor="neutral600">{delivery.messageId}</Typography>
                  </Flex>
                </Td>
                <Td>
                  <Badge backgroundColor={badge[delivery.state][0]} textColor={badge[delivery.state][1]}>{delivery.state}</Badge>
                </Td>
                <Td>
                  <Box tag="ol" paddingLeft={4}>
                    {delivery.log.map((attempt, index) => (
                      <li key={index}>
                        <Typography variant="pi">
                          {when(attempt.at)} · {attempt.status ?? attempt.outcome} · {attempt.durationMs} ms{attempt.response ? ` · ${attempt.response.slice(0, 120)}` : ''}
                        </Typography>
                      </li>
                    ))}
                  </Box>
                </Td>
                <Td>
                  {canManage && delivery.state !== 'pending' && (
                    <Button size="S" variant="tertiary" onClick={async () => (await api.redeliver(delivery.id)) && load()}>
                      {t('deliveries.redeliver', 'Redeliver')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Flex>
  );
};
