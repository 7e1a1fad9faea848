import * as React from 'react';
import { Button, Checkbox, Flex, Link, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import type { CampaignProgress, CampaignView } from '../api';
import { useCrmApi, type CampaignAction } from '../hooks/useCrmApi';
import { useTranslate } from '../hooks/useTranslate';
import { TestSend } from './TestSend';

/** What may be done in each state (the server refuses the rest). */
const ACTIONS: Record<CampaignView['state'], CampaignAction[]> = {
  draft: ['send', 'cancel'],
  awaiting_approval: ['approve', 'cancel'],
  scheduled: ['pause', 'cancel'],
  sending: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  sent: ['pause', 'cancel'],
  cancelled: [],
};

/** The campaigns, their state and counts, and the buttons that move them along. */
export const CampaignList = ({ campaigns, canManage, onChanged }: { campaigns: CampaignView[]; canManage: boolean; onChanged: () => void }) => {
  const t = useTranslate();
  const api = useCrmApi();
  const [at, setAt] = React.useState('');
  // The time of day in each fan's own zone, on that date, rather than one instant in the brand's zone.
  const [eachFansZone, setEachFansZone] = React.useState(false);
  const [progress, setProgress] = React.useState<CampaignProgress | null>(null);
  const [testing, setTesting] = React.useState<CampaignView | null>(null);
  const label: Record<CampaignAction, string> = {
    send: at ? t('campaign.schedule', 'Schedule') : t('campaign.sendNow', 'Send now'),
    approve: t('campaign.approve', 'Approve'),
    pause: t('campaign.pause', 'Pause'),
    resume: t('campaign.resume', 'Resume'),
    cancel: t('campaign.cancel', 'Cancel campaign'),
  };
  const act = async (campaign: CampaignView, action: CampaignAction) => {
    const when = () => (eachFansZone ? { localTime: at.slice(11, 16), on: at.slice(0, 10) } : { at: new Date(at).toISOString() });
    await api.act(campaign.id, action, action === 'send' && at ? when() : {});
    onChanged();
    if (progress?.campaign.id === campaign.id) setProgress(await api.progress(campaign.id));
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {canManage && (
        <Flex gap={2} alignItems="center">
          <Typography>{t('campaign.at', 'Send at (empty: now)')}</Typography>
          <TextInput aria-label={t('campaign.at', 'Send at (empty: now)')} type="datetime-local" value={at} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setAt(e.target.value)} />
          <Checkbox checked={eachFansZone} onCheckedChange={(checked: boolean | 'indeterminate') => setEachFansZone(checked === true)}>
            {t('campaign.eachFansZone', 'At that time in each fan’s own time zone')}
          </Checkbox>
        </Flex>
      )}
      <Table colCount={5} rowCount={campaigns.length + 1}>
        <Thead>
          <Tr>
            <Th><Typography variant="sigma">{t('campaign.name', 'Campaign name')}</Typography></Th>
            <Th><Typography variant="sigma">{t('campaign.state', 'State')}</Typography></Th>
            <Th><Typography variant="sigma">{t('campaign.recipients', 'Recipients')}</Typography></Th>
            <Th><Typography variant="sigma">{t('campaign.length', 'SMS segments (en/es)')}</Typography></Th>
            <Th><Typography variant="sigma">{t('campaign.actions', 'Actions')}</Typography></Th>
          </Tr>
        </Thead>
        <Tbody>
          {campaigns.map((campaign) => (
            <Tr key={campaign.id}>
              <Td>
                <Button variant="ghost" onClick={async () => setProgress(await api.progress(campaign.id))}>
                  {campaign.name}
                </Button>
              </Td>
              <Td><Typography>{campaign.state}</Typography></Td>
              <Td><Typography>{campaign.recipients ?? '—'}</Typography></Td>
              <Td>
                <Typography>
                  {campaign.sms ? Object.entries(campaign.sms).map(([language, length]) => `${language}: ${length?.segments} (${length?.encoding})`).join(' · ') : '—'}
                </Typography>
              </Td>
              <Td>
                <Flex gap={1}>
                  <Link tag={NavLink} to={`campaigns/${campaign.id}`} aria-label={t('campaign.openStats', 'Delivery and clicks of {name}', { name: campaign.name })}>
                    {t('campaign.stats', 'Delivery and clicks')}
                  </Link>
                  {canManage && (
                    <Button size="S" variant="tertiary" onClick={() => setTesting(campaign)}>
                      {t('test.open', 'Send test')}
                    </Button>
                  )}
                  {canManage &&
                    ACTIONS[campaign.state].map((action) => (
                      <Button key={action} size="S" variant={action === 'cancel' ? 'danger' : 'secondary'} onClick={() => void act(campaign, action)}>
                        {label[action]}
                      </Button>
                    ))}
                </Flex>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {testing && <TestSend key={testing.id} campaign={testing} onClose={() => setTesting(null)} />}
      {progress && (
        <Flex direction="column" alignItems="stretch" gap={2} role="region" aria-label={t('campaign.progress', 'Progress of {name}', { name: progress.campaign.name })}>
          <Typography variant="delta">{t('campaign.progress', 'Progress of {name}', { name: progress.campaign.name })}</Typography>
          <Typography>
            {t('campaign.counts', 'Fanned out {fannedOut} · queued {queued} · sent {sent} · failed {failed} · suppressed {suppressed}', {
              fannedOut: progress.fannedOut,
              queued: progress.messages.queued + progress.messages.sending,
              sent: progress.messages.sent,
              failed: progress.messages.failed,
              suppressed: progress.messages.suppressed,
            })}
          </Typography>
          {/* Counted for this campaign alone: the list does not pay an audience count per draft. */}
          {progress.campaign.cost && (
            <Typography>
              {t('campaign.cost', '≈ {amount} {currency} for {recipients} fans ({segments} segments)', {
                amount: progress.campaign.cost.amount.toFixed(4),
                currency: progress.campaign.cost.currency,
                recipients: progress.campaign.cost.recipients,
                segments: progress.campaign.cost.segments,
              })}
            </Typography>
          )}
        </Flex>
      )}
    </Flex>
  );
};
