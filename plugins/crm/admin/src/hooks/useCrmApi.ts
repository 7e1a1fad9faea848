import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { crmApi, type CampaignInput, type CampaignProgress, type CampaignStats, type CampaignView, type MaskedMember, type Rule, type SegmentCount, type SegmentView, type TestSendRequest, type TestSendResult } from '../api';
import { useTranslate } from './useTranslate';

export type CampaignAction = 'send' | 'approve' | 'pause' | 'resume' | 'cancel';

/**
 * The Marketing page's calls: each tells the person how it went (the server's own message when it
 * refuses, such as a 400 naming an unknown variable) and resolves to its result, or null.
 */
export const useCrmApi = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();

  const attempt = React.useCallback(
    async <T,>(call: () => Promise<{ data: { data: T } }>, { success, quiet = false }: { success?: string; quiet?: boolean } = {}): Promise<T | null> => {
      try {
        const { data } = await call();
        if (success) toggleNotification({ type: 'success', message: success });
        return data.data;
      } catch (error) {
        if (!quiet) toggleNotification({ type: 'danger', message: isFetchError(error) ? formatAPIError(error) : t('actions.error', 'Something went wrong. Try again.') });
        return null;
      }
    },
    [toggleNotification, formatAPIError, t]
  );

  return React.useMemo(
    () => ({
      segments: () => attempt<SegmentView[]>(() => get(crmApi.segments())),
      createSegment: (input: { name: string; rules: Rule }) => attempt<SegmentView>(() => post(crmApi.segments(), input), { success: t('segment.saved', 'Segment saved.') }),
      // While editing, a half-written rule is expected: no notification, the count just waits.
      count: (rules: Rule) => attempt<SegmentCount>(() => post(crmApi.count(), { rules }), { quiet: true }),
      sample: (rules: Rule) => attempt<{ members: MaskedMember[] }>(() => post(crmApi.sample(), { rules }), { quiet: true }),
      campaigns: () => attempt<CampaignView[]>(() => get(crmApi.campaigns())),
      progress: (id: number) => attempt<CampaignProgress>(() => get(crmApi.campaign(id))),
      stats: (id: number) => attempt<CampaignStats>(() => get(crmApi.stats(id))),
      createCampaign: (input: CampaignInput) => attempt<CampaignView>(() => post(crmApi.campaigns(), input), { success: t('campaign.saved', 'Campaign saved.') }),
      sendTest: (id: number, request: TestSendRequest) =>
        attempt<TestSendResult>(() => post(crmApi.test(id), request), { success: t('test.sent', 'Test queued: check the outbox, or your inbox in a moment.') }),
      act: (id: number, action: CampaignAction, body: object = {}) => attempt<CampaignView>(() => post(crmApi.action(id, action), body), { success: t('campaign.done', 'Done.') }),
    }),
    [attempt, get, post, t]
  );
};
