import { Flex, Grid, LinkButton, Typography } from '@strapi/design-system';
import { ArrowLeft, Pencil } from '@strapi/icons';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink, useParams } from 'react-router-dom';
import { EventStats } from '../components/EventStats';
import { ReviewList } from '../components/ReviewList';
import { ScreenLinks } from '../components/ScreenLinks';
import { RoundList } from '../components/RoundList';
import { StandingsChart } from '../components/StandingsChart';
import { PhaseBadge } from '../components/StatusBadges';
import { useDashboardActions } from '../hooks/useDashboardActions';
import { useEventDashboard } from '../hooks/useEventDashboard';
import { useTranslate } from '../hooks/useTranslate';

/** One event during the show: its numbers, its rounds, its live leaderboard and what needs a look. */
export const EventPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const t = useTranslate();
  const { formatTime } = useIntl();
  const { state, refresh } = useEventDashboard(documentId);
  const actions = useDashboardActions(refresh);

  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'not-found') {
    return (
      <Page.Error
        content={t('event.notFound', 'This event does not exist or is not published.')}
        action={
          <LinkButton tag={NavLink} to=".." variant="secondary" startIcon={<ArrowLeft />}>
            {t('event.backToEvents', 'Back to events')}
          </LinkButton>
        }
      />
    );
  }
  if (state.status === 'error') return <Page.Error />;

  const { dashboard, updatedAt, stale } = state;
  return (
    <Page.Main aria-busy={actions.pending !== null}>
      <Page.Title>{dashboard.event.title}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback=".." />}
        title={dashboard.event.title}
        primaryAction={<ScreenLinks dashboard={dashboard} />}
        secondaryAction={
          <Flex gap={2}>
            <PhaseBadge phase={dashboard.event.phase} />
            <LinkButton tag={NavLink} to="edit" variant="tertiary" startIcon={<Pencil />}>
              {t('event.edit', 'Edit event')}
            </LinkButton>
          </Flex>
        }
        subtitle={
          <Flex gap={4} wrap="wrap">
            <Typography variant="epsilon" textColor="neutral600">
              {dashboard.event.keyword
                ? t('event.keyword', 'Keyword {keyword}', { keyword: dashboard.event.keyword })
                : t('event.noKeyword', 'No SMS keyword')}
            </Typography>
            {stale ? (
              <Typography variant="pi" textColor="danger600" role="status">
                {t('event.stale', 'Cannot reach the server. Showing numbers from {time}; retrying.', { time: formatTime(updatedAt, { timeStyle: 'medium' }) })}
              </Typography>
            ) : (
              <Typography variant="pi" textColor="neutral600">
                {t('event.updatedAt', 'Updated {time}', { time: formatTime(updatedAt, { timeStyle: 'medium' }) })}
              </Typography>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <EventStats dashboard={dashboard} />
          <Grid.Root gap={6}>
            <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
              <StandingsChart standings={dashboard.standings} />
            </Grid.Item>
            <Grid.Item col={6} xs={12} direction="column" alignItems="stretch">
              <RoundList
                rounds={dashboard.rounds}
                attendance={dashboard.attendance}
                pending={actions.pending}
                onOpen={actions.openRound}
                onClose={actions.closeRound}
                onRefresh={refresh}
              />
            </Grid.Item>
          </Grid.Root>
          <ReviewList activity={dashboard.suspicious} pending={actions.pending} onMarkReviewed={actions.markReviewed} />
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
