import type { Core } from '@strapi/strapi';
import type services from '../services';

type Services = { [K in keyof typeof services]: ReturnType<(typeof services)[K]> };

/** The plugin's services, typed: `getService(strapi, 'segments').count(…)`. */
export function getService<K extends keyof Services>(strapi: Core.Strapi, name: K): Services[K] {
  return strapi.plugin('crm').service(name) as Services[K];
}
