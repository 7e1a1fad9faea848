import { Badge, type BadgeProps } from '@strapi/design-system';
import type { EventPhase, RoundState } from '../api';
import { useTranslate } from '../hooks/useTranslate';

const PHASE_VARIANTS: Record<EventPhase, BadgeProps['variant']> = {
  draft: 'neutral',
  scheduled: 'secondary',
  live: 'success',
  closed: 'neutral',
  archived: 'neutral',
};

const PHASE_LABELS: Record<EventPhase, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  live: 'Live',
  closed: 'Closed',
  archived: 'Archived',
};

export const PhaseBadge = ({ phase }: { phase: EventPhase }) => {
  const t = useTranslate();
  return (
    <Badge variant={PHASE_VARIANTS[phase] ?? 'neutral'}>
      {t(`phase.${phase}`, PHASE_LABELS[phase] ?? phase)}
    </Badge>
  );
};

const ROUND_VARIANTS: Record<RoundState, BadgeProps['variant']> = {
  pending: 'secondary',
  open: 'success',
  closed: 'neutral',
};

const ROUND_LABELS: Record<RoundState, string> = {
  pending: 'Pending',
  open: 'Open',
  closed: 'Closed',
};

export const RoundStateBadge = ({ state }: { state: RoundState }) => {
  const t = useTranslate();
  return (
    <Badge variant={ROUND_VARIANTS[state] ?? 'neutral'}>
      {t(`round.state.${state}`, ROUND_LABELS[state] ?? state)}
    </Badge>
  );
};
