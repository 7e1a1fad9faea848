import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise, Download } from '@strapi/icons';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import type { AuditEntry, EntryFilters as Filters } from '../api';
import { EntryDialog } from '../components/EntryDialog';
import { EntryFilters } from '../components/EntryFilters';
import { EntryList, EntryListLoading } from '../components/EntryList';
import { VerifyPanel } from '../components/VerifyPanel';
import { useEntries } from '../hooks/useEntries';
import { useExport } from '../hooks/useExport';
import { useTranslate } from '../hooks/useTranslate';
import { useVerify } from '../hooks/useVerify';
import { PERMISSIONS } from '../permissions';

/** Who changed what, when, from where, and what it was before; and whether the chain still proves it. */
export const AuditTrailPage = () => {
  const t = useTranslate();
  const [filters, setFilters] = React.useState<Filters>({});
  const [open, setOpen] = React.useState<AuditEntry | null>(null);
  const { state, loadingMore, moreFailed, loadMore, refresh } = useEntries(filters);
  const { verification, verify } = useVerify();
  const { allowedActions } = useRBAC({ export: PERMISSIONS.export });
  const { exporting, failed, download } = useExport(filters);
  const title = t('plugin.name', 'Audit trail');

  return (
    <Page.Main aria-busy={state.status === 'loading'}>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t('page.subtitle', 'Every change and operation, newest first: who, when, from where, and the fields before and after. Entries cannot be edited or removed.')}
        primaryAction={
          <Button variant="tertiary" startIcon={<ArrowClockwise />} onClick={() => void refresh()}>
            {t('page.refresh', 'Refresh')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
            <VerifyPanel verification={verification} onVerify={() => void verify()} />
          </Box>
          <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
            <Flex direction="column" alignItems="stretch" gap={6}>
              <EntryFilters filters={filters} onApply={setFilters} />
              {allowedActions.canExport && (
                <Flex gap={2} wrap="wrap" alignItems="center">
                  <Typography variant="pi" textColor="neutral600">
                    {t('export.label', 'The entries these filters select, as a file:')}
                  </Typography>
                  {(['csv', 'ndjson'] as const).map((format) => (
                    <Button
                      key={format}
                      size="S"
                      variant="secondary"
                      startIcon={<Download />}
                      loading={exporting === format}
                      disabled={exporting !== null}
                      onClick={() => void download(format)}
                    >
                      {format === 'csv' ? t('export.csv', 'Export CSV') : t('export.ndjson', 'Export NDJSON')}
                    </Button>
                  ))}
                  {failed && (
                    <Typography textColor="danger600" role="alert">
                      {t('export.failed', 'The export failed. Try again.')}
                    </Typography>
                  )}
                </Flex>
              )}
              {state.status === 'loading' && <EntryListLoading />}
              {state.status === 'error' && (
                <Typography textColor="danger600" role="alert">
                  {t('entries.error', 'The entries could not be loaded. Check the filters, or try again.')}
                </Typography>
              )}
              {state.status === 'ready' && (
                <EntryList
                  entries={state.entries}
                  more={state.nextCursor !== null}
                  loadingMore={loadingMore}
                  moreFailed={moreFailed}
                  onLoadMore={() => void loadMore()}
                  onOpen={setOpen}
                />
              )}
            </Flex>
          </Box>
        </Flex>
      </Layouts.Content>
      <EntryDialog entry={open} onClose={() => setOpen(null)} />
    </Page.Main>
  );
};
