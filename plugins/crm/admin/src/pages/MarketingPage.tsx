import * as React from 'react';
import { Flex } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import type { CampaignView, SegmentView } from '../api';
import { CampaignEditor } from '../components/CampaignEditor';
import { CampaignList } from '../components/CampaignList';
import { Section } from '../components/Section';
import { SegmentBuilder } from '../components/SegmentBuilder';
import { useCrmApi } from '../hooks/useCrmApi';
import { useTranslate } from '../hooks/useTranslate';
import { PERMISSIONS } from '../permissions';

/** Segments with a live count, campaigns written in English and Spanish, sent, approved, paused, watched. */
export const MarketingPage = () => {
  const t = useTranslate();
  const api = useCrmApi();
  const { allowedActions } = useRBAC({ manage: PERMISSIONS.manage });
  const canManage = Boolean(allowedActions.canManage);
  const [segments, setSegments] = React.useState<SegmentView[] | null>(null);
  const [campaigns, setCampaigns] = React.useState<CampaignView[]>([]);
  const title = t('plugin.name', 'Marketing');

  const refresh = React.useCallback(async () => {
    const [loadedSegments, loadedCampaigns] = await Promise.all([api.segments(), api.campaigns()]);
    setSegments(loadedSegments ?? []);
    setCampaigns(loadedCampaigns ?? []);
  }, [api]);
  React.useEffect(() => {
    void refresh();
  }, [refresh]);

  if (segments === null) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header title={title} subtitle={t('page.subtitle', 'Campaigns reach only fans who consented, never between 21:00 and 08:00 in their own time zone.')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('segment.title', 'Segment builder')}>
            <SegmentBuilder canManage={canManage} onSaved={() => void refresh()} />
          </Section>
          {canManage && (
            <Section title={t('campaign.new', 'New campaign')}>
              <CampaignEditor segments={segments} onSaved={() => void refresh()} />
            </Section>
          )}
          <Section title={t('campaign.title', 'Campaigns')}>
            <CampaignList campaigns={campaigns} canManage={canManage} onChanged={() => void refresh()} />
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
