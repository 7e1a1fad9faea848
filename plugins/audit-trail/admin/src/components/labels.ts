import type { ACTOR_KINDS } from '../api';
import { useTranslate } from '../hooks/useTranslate';

/** How the page names each kind of actor. */
export const useActorKindLabel = () => {
  const t = useTranslate();
  const labels: Record<(typeof ACTOR_KINDS)[number], string> = {
    admin: t('actor.admin', 'Admin'),
    'api-token': t('actor.api-token', 'API token'),
    user: t('actor.user', 'API user'),
    fan: t('actor.fan', 'Fan'),
    public: t('actor.public', 'Public'),
    job: t('actor.job', 'Job'),
    script: t('actor.script', 'Script'),
  };
  return (kind: (typeof ACTOR_KINDS)[number]) => labels[kind] ?? kind;
};
