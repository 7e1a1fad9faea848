import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { backupsApi, type BackupDownload, type BackupsOverview, type BackUpNowResult } from '../api';
import { usePollWhileVisible } from './usePollWhileVisible';
import { useTranslate } from './useTranslate';

/** How often the Backups page asks for fresh rows while it is visible (a listing reads the bucket). */
export const BACKUPS_POLL_MS = 5000;

export type BackupsState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; overview: BackupsOverview; updatedAt: Date; stale: boolean };

/** The backups, their health and the backup jobs under way, refreshed while the tab is visible; Back up now; downloads. */
export const useBackups = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();
  const [state, setState] = React.useState<BackupsState>({ status: 'loading' });
  const [starting, setStarting] = React.useState(false);

  const load = React.useCallback(async () => {
    try {
      const { data } = await get<{ data: BackupsOverview }>(backupsApi.overview());
      setState({ status: 'ready', overview: data.data, updatedAt: new Date(), stale: false });
    } catch (error) {
      setState((previous) => (previous.status === 'ready' ? { ...previous, stale: true } : { status: 'error', error }));
    }
  }, [get]);

  usePollWhileVisible(load, BACKUPS_POLL_MS);

  const fail = (error: unknown) =>
    toggleNotification({ type: 'danger', message: isFetchError(error) ? formatAPIError(error) : t('actions.error', 'Something went wrong. Try again.') });

  const backUpNow = async () => {
    setStarting(true);
    try {
      const { data } = await post<{ data: BackUpNowResult }>(backupsApi.create(), {});
      toggleNotification({ type: 'success', message: t('backups.started', 'Backup {id} is queued: a worker takes it, then verifies it.', { id: data.data.backupId }) });
    } catch (error) {
      fail(error);
    } finally {
      await load();
      setStarting(false);
    }
  };

  /** Asks for a fresh signed link and follows it (links last five minutes, so none is kept on the page). */
  const download = async (id: string) => {
    try {
      const { data } = await get<{ data: BackupDownload }>(backupsApi.download(id));
      window.location.assign(data.data.url);
    } catch (error) {
      fail(error);
    }
  };

  return { state, starting, backUpNow, download };
};
