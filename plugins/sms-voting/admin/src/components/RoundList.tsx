import * as React from 'react';
import { Box, Button, Dialog, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { Play, WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { Round } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { NotificationProgress } from './NotificationProgress';
import { ResendNotifications } from './ResendNotifications';
import { Section } from './Section';
import { RoundStateBadge } from './StatusBadges';
import { TableHead } from './TableHead';

type RoundListProps = {
  rounds: Round[];
  attendance: number;
  /** The action under way, if any: every round button waits for it. */
  pending: string | null;
  onOpen: (round: Round) => Promise<void>;
  onClose: (round: Round) => Promise<void>;
  /** The dashboard's refresh, so a re-send shows at once; without it the next poll shows it. */
  onRefresh?: () => Promise<void>;
};

type Confirmation = { round: Round; action: 'open' | 'close' };

/** The event's rounds in order, each with its votes, its notifications and the actions its state allows. */
export const RoundList = ({ rounds, attendance, pending, onOpen, onClose, onRefresh }: RoundListProps) => {
  const t = useTranslate();
  const { formatDate, formatDateTimeRange, formatNumber } = useIntl();
  const [confirmation, setConfirmation] = React.useState<Confirmation | null>(null);
  const schedule = ({ opensAt, closesAt }: Round) => {
    const format = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' } as const;
    if (opensAt && closesAt) return formatDateTimeRange(new Date(opensAt), new Date(closesAt), format);
    if (opensAt) return t('rounds.opensAt', 'Opens {time}', { time: formatDate(opensAt, format) });
    if (closesAt) return t('rounds.closesAt', 'Closes {time}', { time: formatDate(closesAt, format) });
    return t('rounds.unscheduled', 'Opened and closed by hand');
  };

  const confirm = () => {
    if (!confirmation) return;
    void (confirmation.action === 'open' ? onOpen : onClose)(confirmation.round);
    setConfirmation(null);
  };

  const columns = [
    t('rounds.column.round', 'Round'),
    t('rounds.column.state', 'State'),
    t('rounds.column.votes', 'Votes'),
    t('rounds.column.action', 'Action'),
  ];

  return (
    <Section title={t('rounds.title', 'Rounds')}>
      {rounds.length === 0 ? (
        <Typography textColor="neutral600">{t('rounds.empty', 'This event has no rounds yet.')}</Typography>
      ) : (
        <Table colCount={columns.length} rowCount={rounds.length + 1}>
          <TableHead columns={columns} />
          <Tbody>
            {rounds.map((round) => (
              <Tr key={round.documentId}>
                <Td>
                  <Flex direction="column" alignItems="start">
                    <Typography fontWeight="semiBold">
                      {t('rounds.name', 'Round {number}', { number: round.number })}
                      {round.title ? `: ${round.title}` : ''}
                    </Typography>
                    <Typography textColor="neutral600" variant="pi">
                      {schedule(round)}
                    </Typography>
                    {round.notifications && <NotificationProgress notifications={round.notifications} />}
                    {round.state === 'open' && (
                      <Box paddingTop={2}>
                        <ResendNotifications round={round} disabled={pending !== null} onResent={onRefresh} />
                      </Box>
                    )}
                  </Flex>
                </Td>
                <Td>
                  <RoundStateBadge state={round.state} />
                </Td>
                <Td>
                  <Typography>{formatNumber(round.votes)}</Typography>
                </Td>
                <Td>
                  {round.state === 'pending' && (
                    <Button
                      size="S"
                      startIcon={<Play />}
                      disabled={pending !== null}
                      loading={pending === `round:${round.documentId}`}
                      onClick={() => setConfirmation({ round, action: 'open' })}
                    >
                      {t('rounds.open', 'Open')}
                    </Button>
                  )}
                  {round.state === 'open' && (
                    <Button
                      size="S"
                      variant="danger-light"
                      disabled={pending !== null}
                      loading={pending === `round:${round.documentId}`}
                      onClick={() => setConfirmation({ round, action: 'close' })}
                    >
                      {t('rounds.close', 'Close')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}

      <Dialog.Root open={confirmation !== null} onOpenChange={(open) => !open && setConfirmation(null)}>
        {confirmation && (
          <Dialog.Content>
            <Dialog.Header>
              {confirmation.action === 'open'
                ? t('rounds.open.confirm.title', 'Open round {number}?', { number: confirmation.round.number })
                : t('rounds.close.confirm.title', 'Close round {number}?', { number: confirmation.round.number })}
            </Dialog.Header>
            <Dialog.Body icon={<WarningCircle fill="danger600" width="2.4rem" height="2.4rem" />}>
              <Flex direction="column" gap={2}>
                <Typography textAlign="center">
                  {confirmation.action === 'open'
                    ? t(
                        'rounds.open.confirm.body',
                        'Voting opens now and any other open round closes. Every fan who joined and agreed to texts gets their voting link by SMS: up to {attendance, plural, one {# fan} other {# fans}}.',
                        { attendance }
                      )
                    : t('rounds.close.confirm.body', 'Voting stops at once. A closed round cannot be opened again.')}
                </Typography>
              </Flex>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button fullWidth variant="tertiary">
                  {t('actions.cancel', 'Cancel')}
                </Button>
              </Dialog.Cancel>
              <Dialog.Action>
                <Button fullWidth variant={confirmation.action === 'open' ? 'default' : 'danger'} onClick={confirm}>
                  {confirmation.action === 'open'
                    ? t('rounds.open.confirm.action', 'Open and text fans')
                    : t('rounds.close.confirm.action', 'Close round')}
                </Button>
              </Dialog.Action>
            </Dialog.Footer>
          </Dialog.Content>
        )}
      </Dialog.Root>
    </Section>
  );
};
