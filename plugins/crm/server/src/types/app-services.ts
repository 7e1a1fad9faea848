import type { Core, Internal } from '@strapi/strapi';
import type { ConsentLedger, FanDirectory, JobQueue, Outbox } from '../utils/cms';

/**
 * The app's services this plugin calls, in Strapi's service registry (utils/cms.ts looks them up by
 * uid). Each is the part of the service this plugin uses. Naming uids makes the registry's keys
 * exhaustive, so every other uid is declared again as Strapi's untyped service.
 */
declare module '@strapi/types' {
  export namespace Public {
    export interface Services {
      [uid: Internal.UID.Service]: Core.Service;
      'api::fan.fan': FanDirectory;
      'api::message.message': Outbox;
      'api::consent-record.consent-record': ConsentLedger;
      'plugin::ops.jobs': JobQueue;
    }
  }
}
