import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import type { AuditEntry, EntryFilters as Filters } from '../api';
import { EntryDialog } from '../components/EntryDialog';
import { EntryFilters } from '../components/EntryFilters';
import { EntryList, EntryListLoading } from '../components/EntryList';
import { VerifyPanel } from '../components/VerifyPanel';
import { useEntries } from '../hooks/useEntries';
import { useTranslate } from '../hooks/useTranslate';
import { useVerify } from '../hooks/useVerify';

/** Who changed what, when, from where, and what it was before; and whether the chain still proves it. */
export const AuditTrailPage = () => {
  const t = useTranslate();
  const [filters, setFilters] = React.useState<Filters>({});
  const [open, setOpen] = React.useState<AuditEntry | null>(null);
  const { state, loadingMore, moreFailed, loadMore, refresh } = useEntries(filters);
  const { verification, verify } = useVerify();
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
