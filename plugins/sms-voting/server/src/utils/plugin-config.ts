import type { Core } from '@strapi/strapi';
import type { SmsVotingConfig } from '../config';

export const pluginConfig = (strapi: Core.Strapi) => strapi.config.get('plugin::sms-voting') as SmsVotingConfig;
