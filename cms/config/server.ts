import type { Core } from '@strapi/strapi';
import { secrets } from '../src/lib/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  // The public address (behind a TLS proxy, the proxy's): admin links and webhook signatures use it.
  url: env('PUBLIC_URL', ''),
  proxy: { koa: env.bool('TRUST_PROXY', false) },
  app: { keys: secrets().APP_KEYS.split(',') },
});

export default config;
