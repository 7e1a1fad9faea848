import type { Core } from '@strapi/strapi';
import { ARTIST_ACTIONS } from './routes/content-api';
import { INVITATION_PURPOSE } from './services/invitations';
import { outbox, ROLE } from './utils/cms';
import { getService } from './utils/get-service';

const PERMISSION = 'plugin::users-permissions.permission';

/** The Artist role (cms/src/bootstrap/roles.ts) may use the artist routes; given back at each start if taken away. */
async function grantArtistActions(strapi: Core.Strapi, role: { id: number } | null) {
  if (!role) return;
  const granted = new Set(((await strapi.db.query(PERMISSION).findMany({ where: { role: role.id, action: { $in: ARTIST_ACTIONS } }, select: ['action'] })) as { action: string }[]).map((row) => row.action));
  for (const action of ARTIST_ACTIONS.filter((name) => !granted.has(name))) await strapi.db.query(PERMISSION).create({ data: { action, role: role.id } });
}

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  outbox(strapi).fillSecretsWith(INVITATION_PURPOSE, (message) => getService(strapi, 'invitations').fillLink(message));
  await grantArtistActions(strapi, await strapi.db.query(ROLE).findOne({ where: { type: 'artist' }, select: ['id'] }));
  // On a fresh database the app creates the role after the plugins' bootstrap: granted as it is made.
  strapi.db.lifecycles.subscribe({
    models: [ROLE],
    async afterCreate(event) {
      const role = event.result as { id: number; type?: string };
      if (role.type === 'artist') await grantArtistActions(strapi, role);
    },
  });
};

export default bootstrap;
