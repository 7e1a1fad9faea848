import type { Core } from '@strapi/strapi';
import type { TwoFactorConfig } from '../config';

export const pluginConfig = (strapi: Core.Strapi) => strapi.config.get('plugin::two-factor') as TwoFactorConfig;
