import { EmptyStateLayout, Flex, Link, LinkButton, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ChartBubble, Plus } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import type { MouseEvent } from 'react';
import { useIntl } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';
import { DraftList } from '../components/DraftList';
import { PhaseBadge } from '../components/StatusBadges';
import { useEvents } from '../hooks/useEvents';
import { useTranslate } from '../hooks/useTranslate';
import { TableHead } from '../components/TableHead';

/** Every published event; an editor picks the one happening now. */
export const EventsPage = () => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const navigate = useNavigate();
  const state = useEvents();
  const title = t('plugin.name', 'Live voting');

  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;

  const columns = [
    t('events.column.title', 'Event'),
    t('events.column.phase', 'Phase'),
    t('events.column.keyword', 'Keyword'),
    t('events.column.startsAt', 'Starts'),
  ];

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        primaryAction={
          <LinkButton tag={NavLink} to="new" startIcon={<Plus />}>
            {t('events.new', 'New event')}
          </LinkButton>
        }
        subtitle={t('events.subtitle', 'Published events, newest first. Open one to run its rounds and watch the votes.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {state.events.length === 0 ? (
            <EmptyStateLayout
              icon={<ChartBubble width="6.4rem" height="6.4rem" />}
              content={t('events.empty', 'No published events yet')}
            />
          ) : (
            <Table colCount={columns.length} rowCount={state.events.length + 1}>
              <TableHead columns={columns} />
              <Tbody>
                {state.events.map((event) => (
                  <Tr key={event.documentId} onClick={() => navigate(event.documentId)} style={{ cursor: 'pointer' }}>
                    <Td>
                      <Link tag={NavLink} to={event.documentId} onClick={(e: MouseEvent) => e.stopPropagation()}>
                        {event.title}
                      </Link>
                    </Td>
                    <Td>
                      <PhaseBadge phase={event.phase} />
                    </Td>
                    <Td>
                      {event.keyword ? (
                        <Typography fontWeight="semiBold">{event.keyword}</Typography>
                      ) : (
                        <Typography textColor="neutral600">
                          {t('events.noKeyword', 'None')}
                        </Typography>
                      )}
                    </Td>
                    <Td>
                      <Typography>
                        {event.startsAt ? formatDate(event.startsAt, { dateStyle: 'medium', timeStyle: 'short' }) : '—'}
                      </Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
          <DraftList />
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
