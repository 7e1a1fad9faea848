import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { EventDashboard } from '../api';
import { useTranslate } from '../hooks/useTranslate';

type StatProps = { label: string; value: string; detail?: string };

const Stat = ({ label, value, detail }: StatProps) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} height="100%">
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography variant="sigma" textColor="neutral600" tag="h2">
        {label}
      </Typography>
      <Typography variant="alpha" tag="p">
        {value}
      </Typography>
      {detail && (
        <Typography variant="pi" textColor="neutral600">
          {detail}
        </Typography>
      )}
    </Flex>
  </Box>
);

/** The three numbers an editor glances at during the show. */
export const EventStats = ({ dashboard }: { dashboard: EventDashboard }) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const { event, attendance, rounds, standings } = dashboard;
  const totalVotes = rounds.reduce((sum, round) => sum + round.votes, 0);

  return (
    <Grid.Root gap={4}>
      <Grid.Item col={4} m={4} xs={12} direction="column" alignItems="stretch">
        <Stat
          label={t('stats.attendance', 'Attendance')}
          value={
            event.capacity
              ? t('stats.attendance.ofCapacity', '{attendance} of {capacity}', {
                  attendance: formatNumber(attendance),
                  capacity: formatNumber(event.capacity),
                })
              : formatNumber(attendance)
          }
          detail={t('stats.attendance.detail', 'Fans who joined by text')}
        />
      </Grid.Item>
      <Grid.Item col={4} m={4} xs={12} direction="column" alignItems="stretch">
        <Stat
          label={
            standings.round
              ? t('stats.roundVotes', 'Votes in round {number}', { number: standings.round.number })
              : t('stats.roundVotes.none', 'Votes this round')
          }
          value={formatNumber(standings.totalVotes)}
          detail={
            standings.round
              ? standings.round.state === 'open'
                ? t('stats.roundVotes.open', 'Voting is open')
                : t('stats.roundVotes.closed', 'Voting has closed')
              : t('stats.roundVotes.noRound', 'No round has opened yet')
          }
        />
      </Grid.Item>
      <Grid.Item col={4} m={4} xs={12} direction="column" alignItems="stretch">
        <Stat
          label={t('stats.totalVotes', 'Total votes')}
          value={formatNumber(totalVotes)}
          detail={t('stats.totalVotes.detail', 'Across {rounds, plural, one {# round} other {# rounds}}', { rounds: rounds.length })}
        />
      </Grid.Item>
    </Grid.Root>
  );
};
