import { Badge, Box, Flex, Grid, Modal, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { AuditEntry } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { diffRows } from '../utils/diff';
import { useActorKindLabel } from './labels';

type EntryDialogProps = { entry: AuditEntry | null; onClose: () => void };

const Value = ({ value }: { value: string | null }) =>
  value === null ? (
    <Typography textColor="neutral600">—</Typography>
  ) : (
    <Typography tag="pre" variant="pi" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: 0 }}>
      {value}
    </Typography>
  );

/** One entry: who, when, from where, its place in the chain, and its fields before and after, side by side. */
export const EntryDialog = ({ entry, onClose }: EntryDialogProps) => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const actorKindLabel = useActorKindLabel();
  if (!entry) return null;
  const rows = diffRows(entry);
  const facts: [string, string | null][] = [
    [t('entry.time', 'Time'), formatDate(entry.occurredAt, { dateStyle: 'medium', timeStyle: 'medium' })],
    [t('entry.actor', 'Actor'), `${actorKindLabel(entry.actor.kind)}${entry.actor.name ? ` · ${entry.actor.name}` : ''}${entry.actor.id ? ` (#${entry.actor.id})` : ''}`],
    [t('entry.origin', 'Origin'), entry.actor.origin],
    [t('entry.ip', 'IP address'), entry.actor.ip],
    [t('entry.userAgent', 'User agent'), entry.actor.userAgent],
    [t('entry.requestId', 'Request id'), entry.actor.requestId],
    [t('entry.subject', 'Subject'), [entry.contentType, entry.documentId, entry.locale].filter(Boolean).join(' · ')],
    [t('entry.hash', 'Hash'), entry.hash],
    [t('entry.prevHash', 'Previous hash'), entry.prevHash],
  ];

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('entry.title', 'Entry {seq}: {action}', { seq: entry.seq, action: entry.action })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={6}>
            <Grid.Root gap={2}>
              {facts.map(([label, value]) => (
                <Grid.Item key={label} col={6} s={12} direction="column" alignItems="start">
                  <Typography variant="sigma" textColor="neutral600">
                    {label}
                  </Typography>
                  <Typography variant="pi" style={{ wordBreak: 'break-all' }}>
                    {value || '—'}
                  </Typography>
                </Grid.Item>
              ))}
            </Grid.Root>
            {entry.outcome === 'failure' && (
              <Flex gap={2} alignItems="start">
                <Badge textColor="danger600" backgroundColor="danger100">
                  {t('outcome.failure', 'Refused')}
                </Badge>
                <Typography textColor="danger600">{entry.error ? `${entry.error.name}: ${entry.error.message}` : ''}</Typography>
              </Flex>
            )}
            <Box>
              <Typography tag="h3" variant="delta">
                {t('entry.changes', 'Changes')}
              </Typography>
              {rows.length === 0 ? (
                <Typography textColor="neutral600">{t('entry.noChanges', 'No field changed.')}</Typography>
              ) : (
                <Table colCount={3} rowCount={rows.length + 1}>
                  <Thead>
                    <Tr>
                      <Th>
                        <Typography variant="sigma">{t('entry.field', 'Field')}</Typography>
                      </Th>
                      <Th>
                        <Typography variant="sigma">{t('entry.before', 'Before')}</Typography>
                      </Th>
                      <Th>
                        <Typography variant="sigma">{t('entry.after', 'After')}</Typography>
                      </Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {rows.map((row) => (
                      <Tr key={row.field} data-field={row.field}>
                        <Td>
                          <Typography fontWeight="semiBold">{row.field}</Typography>
                        </Td>
                        <Td style={{ whiteSpace: 'normal' }}>
                          <Value value={row.before} />
                        </Td>
                        <Td style={{ whiteSpace: 'normal' }}>
                          <Value value={row.after} />
                        </Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              )}
            </Box>
          </Flex>
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
};
