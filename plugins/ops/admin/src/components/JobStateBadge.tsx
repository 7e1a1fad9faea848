import { Badge, type BadgeProps } from '@strapi/design-system';
import type { JobState } from '../api';
import { useTranslate } from '../hooks/useTranslate';

/** Red for a job that needs a person. Not Strapi's `danger` variant: its text fails WCAG AA contrast. */
export const ALERT_BADGE: BadgeProps = { backgroundColor: 'danger100', textColor: 'danger700' };

const STATE_BADGES: Record<JobState, BadgeProps> = {
  queued: { variant: 'secondary' },
  running: { variant: 'primary' },
  done: { variant: 'success' },
  failed: ALERT_BADGE,
  dead: ALERT_BADGE,
};

const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  dead: 'Dead',
};

/** The label of a job state, in the admin's language. */
export const useStateLabel = () => {
  const t = useTranslate();
  return (state: JobState) => t(`state.${state}`, STATE_LABELS[state] ?? state);
};

export const JobStateBadge = ({ state }: { state: JobState }) => {
  const label = useStateLabel();
  return <Badge {...(STATE_BADGES[state] ?? { variant: 'neutral' })}>{label(state)}</Badge>;
};
