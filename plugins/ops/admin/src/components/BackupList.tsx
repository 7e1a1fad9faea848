import { Badge, Box, Button, Flex, Table, Tbody, Td, Tr, Typography, type BadgeProps } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { BackupSummary } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { ALERT_BADGE } from './JobStateBadge';
import { TableHead } from './TableHead';

const STATUS: Record<BackupSummary['status'], { badge: BadgeProps; label: string }> = {
  verified: { badge: { variant: 'success' }, label: 'Verified' },
  'verification-failed': { badge: ALERT_BADGE, label: 'Verification failed' },
  unverified: { badge: { variant: 'secondary' }, label: 'Not verified yet' },
};

/** Every complete backup in the bucket, newest first, with what its verification found and a download. */
export const BackupList = ({ backups, onDownload }: { backups: BackupSummary[]; onDownload: (id: string) => void }) => {
  const t = useTranslate();
  const { formatDate, formatNumber } = useIntl();
  if (backups.length === 0) return <Typography textColor="neutral600">{t('backups.empty', 'No backup yet.')}</Typography>;
  const columns = [
    t('backups.column.id', 'Backup'),
    t('backups.column.status', 'Status'),
    t('backups.column.size', 'Size'),
    t('backups.column.duration', 'Took'),
    t('backups.column.verification', 'Verification'),
    t('backups.column.action', 'Action'),
  ];
  const seconds = (ms: number) => t('backups.seconds', '{seconds} s', { seconds: formatNumber(ms / 1000, { maximumFractionDigits: 1 }) });
  return (
    <Table colCount={columns.length} rowCount={backups.length + 1}>
      <TableHead columns={columns} />
      <Tbody>
        {backups.map((backup) => (
          <Tr key={backup.id} data-backup-id={backup.id}>
            <Td>
              <Flex direction="column" alignItems="start">
                <Typography fontWeight="semiBold">{backup.id}</Typography>
                <Typography textColor="neutral600" variant="pi">
                  {formatDate(backup.createdAt, { dateStyle: 'medium', timeStyle: 'short' })} · {t('backups.tables', '{tables} tables, {rows} rows', { tables: formatNumber(backup.tables), rows: formatNumber(backup.rows) })}
                </Typography>
              </Flex>
            </Td>
            <Td>
              <Badge {...STATUS[backup.status].badge}>{t(`backups.status.${backup.status}`, STATUS[backup.status].label)}</Badge>
            </Td>
            <Td>
              <Typography>{formatNumber(backup.bytes / 1_048_576, { maximumFractionDigits: 1 })} MB</Typography>
            </Td>
            <Td>
              <Typography>{seconds(backup.durationMs)}</Typography>
            </Td>
            <Td>
              <Box maxWidth="28rem">
                {backup.verification ? (
                  backup.verification.ok ? (
                    <Typography variant="pi">{t('backups.verified', 'Restored and compared in {time}', { time: seconds(backup.verification.durationMs) })}</Typography>
                  ) : (
                    <Typography variant="pi" textColor="danger600" ellipsis title={backup.verification.error}>
                      {backup.verification.error ?? t('backups.mismatches', '{count} tables differ from the manifest', { count: backup.verification.mismatches })}
                    </Typography>
                  )
                ) : (
                  <Typography textColor="neutral600">—</Typography>
                )}
              </Box>
            </Td>
            <Td>
              <Button size="S" variant="tertiary" startIcon={<Download />} aria-label={t('backups.download.label', 'Download backup {id}', { id: backup.id })} onClick={() => onDownload(backup.id)}>
                {t('backups.download', 'Download')}
              </Button>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
