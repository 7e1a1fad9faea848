import * as React from 'react';
import { Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';
import { WIZARD_API, type EventListItem } from '../../../shared/contracts';
import { useTranslate } from '../hooks/useTranslate';
import { Section } from './Section';
import { TableHead } from './TableHead';

/** Events not published yet, each opening the wizard; nothing is shown when there are none. */
export const DraftList = () => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const { get } = useFetchClient();
  const [drafts, setDrafts] = React.useState<EventListItem[]>([]);

  React.useEffect(() => {
    get<{ data: EventListItem[] }>(WIZARD_API.drafts()).then(
      ({ data }) => setDrafts(data.data),
      () => setDrafts([])
    );
  }, [get]);

  if (drafts.length === 0) return null;
  const columns = [t('events.column.title', 'Event'), t('events.column.keyword', 'Keyword'), t('events.column.startsAt', 'Starts')];
  return (
    <Section title={t('drafts.title', 'Drafts')} subtitle={t('drafts.subtitle', 'Not published yet: open one to finish it in the wizard.')}>
      <Table colCount={columns.length} rowCount={drafts.length + 1}>
        <TableHead columns={columns} />
        <Tbody>
          {drafts.map((event) => (
            <Tr key={event.documentId}>
              <Td>
                <Link tag={NavLink} to={`${event.documentId}/edit`}>
                  {event.title}
                </Link>
              </Td>
              <Td>
                <Typography>{event.keyword ?? '—'}</Typography>
              </Td>
              <Td>
                <Typography>{event.startsAt ? formatDate(event.startsAt, { dateStyle: 'medium', timeStyle: 'short' }) : '—'}</Typography>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Section>
  );
};
