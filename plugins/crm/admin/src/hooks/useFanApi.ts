import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import type { ErasureReport, FanExport, FanProfile, FanSearch, FanSummary, RevealedContact } from '../../../shared/contracts/privacy';
import { PLUGIN_ID } from '../plugin-id';
import { useTranslate } from './useTranslate';

/** The fan routes of the plugin's admin API (server/src/routes/admin.ts). */
export const fanApi = {
  search: (q: string) => `/${PLUGIN_ID}/fans?q=${encodeURIComponent(q)}`,
  fan: (id: number) => `/${PLUGIN_ID}/fans/${id}`,
  reveal: (id: number) => `/${PLUGIN_ID}/fans/${id}/reveal`,
  tags: (id: number) => `/${PLUGIN_ID}/fans/${id}/tags`,
  export: (id: number) => `/${PLUGIN_ID}/fans/${id}/export`,
  erase: (id: number) => `/${PLUGIN_ID}/fans/${id}/erase`,
};

/** The fan page's calls: each tells the person how it went and resolves to its result, or null. */
export const useFanApi = () => {
  const { get, post, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();

  const attempt = React.useCallback(
    async <T,>(call: () => Promise<{ data: { data: T } }>, success?: string): Promise<T | null> => {
      try {
        const { data } = await call();
        if (success) toggleNotification({ type: 'success', message: success });
        return data.data;
      } catch (error) {
        toggleNotification({ type: 'danger', message: isFetchError(error) ? formatAPIError(error) : t('actions.error', 'Something went wrong. Try again.') });
        return null;
      }
    },
    [toggleNotification, formatAPIError, t]
  );

  return React.useMemo(
    () => ({
      search: (q: string) => attempt<FanSearch>(() => get(fanApi.search(q))),
      profile: (id: number) => attempt<FanProfile>(() => get(fanApi.fan(id))),
      reveal: (id: number) => attempt<RevealedContact>(() => post(fanApi.reveal(id), {})),
      setTags: (id: number, tags: string[]) => attempt<FanSummary>(() => put(fanApi.tags(id), { tags }), t('fans.tagsSaved', 'Tags saved.')),
      exportOne: (id: number) => attempt<FanExport>(() => get(fanApi.export(id))),
      erase: (id: number, confirm: string) => attempt<ErasureReport>(() => post(fanApi.erase(id), { confirm }), t('fans.erased', 'The fan was erased.')),
    }),
    [attempt, get, post, put, t]
  );
};
