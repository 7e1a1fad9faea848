import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams) => [
  'strapi::logger',
  'strapi::errors',
  // Inside strapi::errors so a refused database write leaves in Strapi's error shape.
  'global::database-errors',
  // Redis or the database away: 503 with Retry-After rather than a 500.
  'global::outages',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: {
      origin: env.array('CORS_ORIGINS', ['http://localhost:4321', 'http://localhost:1337']),
    },
  },
  'strapi::query',
  'strapi::body',
  'strapi::session',
  // Ovation's mark (cms/favicon.ico, from src/admin/extensions/ovation-mark.svg) at /favicon.ico.
  { name: 'strapi::favicon', config: { path: 'favicon.ico' } },
  'strapi::public',
];

export default config;
