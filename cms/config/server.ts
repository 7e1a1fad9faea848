import type { Core } from '@strapi/strapi';
import { secrets } from '../src/lib/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  // The public address (behind a TLS proxy, the proxy's): admin links and webhook signatures use it.
  url: env('PUBLIC_URL', ''),
  // Behind a load balancer: the client's address is the one it appended to X-Forwarded-For (the last
  // TRUST_PROXY_HOPS entries are the proxies' own); anything a client wrote before that is ignored.
  proxy: { koa: env.bool('TRUST_PROXY', false), maxIpsCount: env.int('TRUST_PROXY_HOPS', 1) },
  app: { keys: secrets().APP_KEYS.split(',') },
});

export default config;
