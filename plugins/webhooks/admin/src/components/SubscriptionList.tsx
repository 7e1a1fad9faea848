import { Badge, Button, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import type { SubscriptionView } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { TableHead } from './TableHead';

type Props = {
  subscriptions: SubscriptionView[];
  selected: number | null;
  canManage: boolean;
  onSelect: (subscription: SubscriptionView) => void;
  onEdit: (subscription: SubscriptionView) => void;
  onToggle: (subscription: SubscriptionView) => void;
  onRotate: (subscription: SubscriptionView) => void;
  onTest: (subscription: SubscriptionView) => void;
};

/** Every subscription: endpoint, events, whether it is active (and why not), and what can be done with it. */
export const SubscriptionList = ({ subscriptions, selected, canManage, onSelect, onEdit, onToggle, onRotate, onTest }: Props) => {
  const t = useTranslate();
  if (subscriptions.length === 0) return <Typography textColor="neutral600">{t('subscriptions.empty', 'No subscriptions yet.')}</Typography>;
  const columns = [t('subscriptions.column.url', 'Endpoint'), t('subscriptions.column.events', 'Events'), t('subscriptions.column.state', 'State'), t('subscriptions.column.actions', 'Actions')];
  return (
    <Table colCount={columns.length} rowCount={subscriptions.length + 1}>
      <TableHead columns={columns} />
      <Tbody>
        {subscriptions.map((subscription) => (
          <Tr key={subscription.id} data-subscription-id={subscription.id} aria-selected={selected === subscription.id}>
            <Td>
              <Flex direction="column" alignItems="start">
                <Typography fontWeight="semiBold">{subscription.url}</Typography>
                {subscription.description && <Typography textColor="neutral600">{subscription.description}</Typography>}
              </Flex>
            </Td>
            <Td>
              <Typography textColor="neutral600" style={{ whiteSpace: 'normal' }}>{subscription.eventTypes.join(', ')}</Typography>
            </Td>
            <Td>
              {subscription.active ? (
                <Badge backgroundColor="success100" textColor="success700">{t('subscriptions.active', 'Active')}</Badge>
              ) : (
                <Flex direction="column" alignItems="start" gap={1}>
                  <Badge backgroundColor="danger100" textColor="danger700">{t('subscriptions.disabled', 'Disabled')}</Badge>
                  {subscription.disabledReason && <Typography variant="pi" textColor="danger600">{subscription.disabledReason}</Typography>}
                </Flex>
              )}
            </Td>
            <Td>
              <Flex gap={2} wrap="wrap">
                <Button size="S" variant="secondary" onClick={() => onSelect(subscription)}>
                  {t('subscriptions.deliveries', 'Deliveries')}
                </Button>
                {canManage && (
                  <>
                    <Button size="S" variant="tertiary" onClick={() => onTest(subscription)} disabled={!subscription.active}>
                      {t('subscriptions.test', 'Send test event')}
                    </Button>
                    <Button size="S" variant="tertiary" onClick={() => onEdit(subscription)}>
                      {t('subscriptions.edit', 'Edit')}
                    </Button>
                    <Button size="S" variant="tertiary" onClick={() => onRotate(subscription)}>
                      {t('subscriptions.rotate', 'Rotate secret')}
                    </Button>
                    <Button size="S" variant={subscription.active ? 'danger-light' : 'success-light'} onClick={() => onToggle(subscription)}>
                      {subscription.active ? t('subscriptions.disable', 'Disable') : t('subscriptions.enable', 'Enable')}
                    </Button>
                  </>
                )}
              </Flex>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
