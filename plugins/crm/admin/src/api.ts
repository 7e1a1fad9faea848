import { PLUGIN_ID } from './plugin-id';

export type {
  CampaignInput,
  CampaignProgress,
  CampaignStats,
  DeliveryCounts,
  CampaignView,
  Condition,
  Field,
  MaskedMember,
  Rule,
  SegmentCount,
  SegmentView,
  SmsCost,
  TestSendRequest,
  TestSendResult,
} from '../../shared/contracts/crm';

/** The plugin's admin API (server/src/routes/admin.ts), as the Marketing page calls it. */
export const crmApi = {
  segments: () => `/${PLUGIN_ID}/segments`,
  count: () => `/${PLUGIN_ID}/segments/count`,
  sample: () => `/${PLUGIN_ID}/segments/sample`,
  campaigns: () => `/${PLUGIN_ID}/campaigns`,
  campaign: (id: number) => `/${PLUGIN_ID}/campaigns/${id}`,
  stats: (id: number) => `/${PLUGIN_ID}/campaigns/${id}/stats`,
  action: (id: number, action: 'send' | 'approve' | 'pause' | 'resume' | 'cancel') => `/${PLUGIN_ID}/campaigns/${id}/${action}`,
  test: (id: number) => `/${PLUGIN_ID}/campaigns/${id}/test`,
};
