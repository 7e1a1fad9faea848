import type { Core, Internal, Public } from '@strapi/strapi';
import type { ConsentLedger, Outbox } from './message-send';
import type { CrmRetention } from './crm-retention';
import type { Rounds } from './round-notify';

/**
 * The app's services the job handlers call, in Strapi's service registry: each is the part of the
 * service a handler uses. Naming uids makes the registry's keys exhaustive, so every other uid is
 * declared again as Strapi's untyped service.
 */
declare module '@strapi/types' {
  export namespace Public {
    export interface Services {
      [uid: Internal.UID.Service]: Core.Service;
      'api::message.message': Outbox;
      'api::consent-record.consent-record': ConsentLedger;
      'plugin::sms-voting.rounds': Rounds;
      'plugin::crm.retention': CrmRetention;
    }
  }
}

type HandlerServiceUid = 'api::message.message' | 'api::consent-record.consent-record' | 'plugin::sms-voting.rounds' | 'plugin::crm.retention';

/** An app service by uid, as the registry above declares it. */
export const appService = <U extends HandlerServiceUid>(strapi: Core.Strapi, uid: U) => strapi.service(uid) as Public.Services[U];
