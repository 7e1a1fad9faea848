import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Jobs are internal: never in GraphQL (and the plugin declares no content-API routes).
  strapi.plugin('graphql')?.service('extension')?.shadowCRUD('plugin::ops.job').disable();

  // A rotated token's previous value keeps working until its overlap ends: Strapi's content-API token
  // strategy looks tokens up by the hash of the value presented; a hash it does not know is tried
  // against the previous values here.
  type TokenLookup = { getByAccessKey(hash: string, options?: object): Promise<unknown> };
  const registry = strapi.get('services') as { extend(uid: string, extend: (service: TokenLookup) => TokenLookup): void };
  registry.extend('admin::api-token-content-api', (service) =>
    Object.assign(Object.create(Object.getPrototypeOf(service)), service, {
      async getByAccessKey(hash: string, options?: object) {
        return (await service.getByAccessKey(hash, options)) ?? getService(strapi, 'tokens').retired(hash, options);
      },
    })
  );
};

export default register;
