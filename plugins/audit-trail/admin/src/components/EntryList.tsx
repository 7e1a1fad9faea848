import { Badge, Button, Flex, Link, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Eye } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';
import { documentPath, type AuditEntry } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { useActorKindLabel } from './labels';

type EntryListProps = {
  entries: AuditEntry[];
  more: boolean;
  loadingMore: boolean;
  moreFailed: boolean;
  onLoadMore: () => void;
  onOpen: (entry: AuditEntry) => void;
};

/** The newest entries first: when, who and from where, what, on which document, and the outcome. */
export const EntryList = ({ entries, more, loadingMore, moreFailed, onLoadMore, onOpen }: EntryListProps) => {
  const t = useTranslate();
  const { formatDate, formatTime } = useIntl();
  const actorKindLabel = useActorKindLabel();

  if (entries.length === 0) return <Typography textColor="neutral600">{t('entries.empty', 'No entries match these filters.')}</Typography>;

  const columns = [
    t('entries.column.seq', 'No.'),
    t('entries.column.time', 'Time'),
    t('entries.column.actor', 'Who'),
    t('entries.column.action', 'Action'),
    t('entries.column.subject', 'What'),
    t('entries.column.outcome', 'Outcome'),
    t('entries.column.open', 'Details'),
  ];

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Table colCount={columns.length} rowCount={entries.length + 1}>
        <Thead>
          <Tr>
            {columns.map((column) => (
              <Th key={column}>
                <Typography variant="sigma">{column}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {entries.map((entry) => {
            const path = documentPath(entry);
            return (
              <Tr key={entry.seq} data-seq={entry.seq}>
                <Td>
                  <Typography>{entry.seq}</Typography>
                </Td>
                <Td>
                  <Flex direction="column" alignItems="start">
                    <Typography textColor="neutral600">{formatDate(entry.occurredAt, { dateStyle: 'short' })}</Typography>
                    <Typography textColor="neutral600">{formatTime(entry.occurredAt, { timeStyle: 'medium' })}</Typography>
                  </Flex>
                </Td>
                <Td>
                  <Flex direction="column" alignItems="start" maxWidth="22rem">
                    <Typography fontWeight="semiBold" ellipsis>
                      {actorKindLabel(entry.actor.kind)}
                      {entry.actor.name ? ` · ${entry.actor.name}` : entry.actor.id ? ` #${entry.actor.id}` : ''}
                    </Typography>
                    <Typography variant="pi" textColor="neutral600">
                      {[entry.actor.origin, entry.actor.ip].filter(Boolean).join(' · ')}
                    </Typography>
                  </Flex>
                </Td>
                <Td>
                  <Typography>{entry.action}</Typography>
                </Td>
                <Td>
                  <Flex direction="column" alignItems="start" maxWidth="28rem">
                    <Typography ellipsis>{entry.contentType}</Typography>
                    {entry.documentId &&
                      (path ? (
                        <Link tag={NavLink} to={path} aria-label={t('entries.document', 'Open document {id}', { id: entry.documentId })}>
                          {entry.documentId}
                          {entry.locale ? ` (${entry.locale})` : ''}
                        </Link>
                      ) : (
                        <Typography variant="pi" textColor="neutral600">
                          {entry.documentId}
                        </Typography>
                      ))}
                  </Flex>
                </Td>
                <Td>
                  {entry.outcome === 'success' ? (
                    <Badge textColor="success600" backgroundColor="success100">
                      {t('outcome.success', 'Success')}
                    </Badge>
                  ) : (
                    <Badge textColor="danger600" backgroundColor="danger100">
                      {t('outcome.failure', 'Refused')}
                    </Badge>
                  )}
                </Td>
                <Td>
                  <Button size="S" variant="secondary" startIcon={<Eye />} onClick={() => onOpen(entry)} aria-label={t('entries.open', 'Show entry {seq}', { seq: entry.seq })}>
                    {t('entries.show', 'Show')}
                  </Button>
                </Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
      {moreFailed && (
        <Typography textColor="danger600" role="status">
          {t('entries.moreFailed', 'Cannot reach the server. Try Load more again.')}
        </Typography>
      )}
      {more && (
        <Flex justifyContent="center">
          <Button variant="tertiary" loading={loadingMore} onClick={onLoadMore}>
            {t('entries.loadMore', 'Load more')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
};

export const EntryListLoading = () => {
  const t = useTranslate();
  return <Loader>{t('entries.loading', 'Loading entries…')}</Loader>;
};
