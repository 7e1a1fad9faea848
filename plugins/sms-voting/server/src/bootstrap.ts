import type { Core } from '@strapi/strapi';
import { NOTIFICATION_PURPOSE } from './services/rounds';
import { outbox } from './utils/cms';
import { getService } from './utils/get-service';
import { pluginConfig } from './utils/plugin-config';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'Manage voting (rounds, live pages, review list)', uid: 'manage', pluginName: 'sms-voting' },
  ]);

  // The directory caches events, rounds and lineups for a moment; an edit in this process drops it at once.
  strapi.db.lifecycles.subscribe({
    models: ['api::event.event', 'api::round.round', 'api::lineup-entry.lineup-entry', 'api::artist.artist'],
    afterCreate: () => getService(strapi, 'directory').clear(),
    afterUpdate: () => getService(strapi, 'directory').clear(),
    afterDelete: () => getService(strapi, 'directory').clear(),
  });

  // Notifications are stored with their voting link masked; each send fills it in again.
  outbox(strapi).fillSecretsWith(NOTIFICATION_PURPOSE, (message) => getService(strapi, 'rounds').fillLink(message));

  // Round schedules run in the web processes only (workers load the same app for its services).
  if (process.env.OVATION_PROCESS !== 'worker') getService(strapi, 'rounds').startSchedule(pluginConfig(strapi).scheduleIntervalMs);
  // Votes of unknown outcome (a lost connection) are counted on the live board once found committed.
  if (process.env.OVATION_PROCESS !== 'worker') getService(strapi, 'leaderboard').startSettling();
};

export default bootstrap;
