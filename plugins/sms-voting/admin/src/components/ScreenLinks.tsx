import { Flex, LinkButton } from '@strapi/design-system';
import { ExternalLink } from '@strapi/icons';
import type { EventDashboard } from '../api';
import { useTranslate } from '../hooks/useTranslate';

/**
 * Opens the site's big-screen view for the venue's projector, in a new tab: following the current
 * round, or pinned to one round that has opened (to put a finished round's result back on screen).
 */
export const ScreenLinks = ({ dashboard }: { dashboard: EventDashboard }) => {
  const t = useTranslate();
  const pinnable = dashboard.rounds.filter((round) => round.screenUrl);
  return (
    <Flex gap={2} wrap="wrap">
      <LinkButton href={dashboard.event.screenUrl} target="_blank" rel="noopener" startIcon={<ExternalLink />}>
        {t('event.openScreen', 'Open screen view')}
      </LinkButton>
      {pinnable.map((round) => (
        <LinkButton key={round.documentId} href={round.screenUrl!} target="_blank" rel="noopener" variant="tertiary">
          {t('event.screenRound', 'Screen: round {number}', { number: round.number })}
        </LinkButton>
      ))}
    </Flex>
  );
};
