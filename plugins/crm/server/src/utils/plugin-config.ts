import type { Core } from '@strapi/strapi';
import type { CrmConfig } from '../config';

export const pluginConfig = (strapi: Core.Strapi) => strapi.config.get('plugin::crm') as CrmConfig;
