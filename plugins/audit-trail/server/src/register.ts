import type { Core } from '@strapi/strapi';
import { recordAccountEvents } from './accounts';
import { recordDocumentWrites } from './document-audit';
import { getService } from './utils/get-service';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // The tables exist before any plugin's or the app's bootstrap can write a document.
  strapi.hook('strapi::content-types.afterSync').register(() => getService(strapi, 'ledger').install());
  // Registered by the plugin, before the app's own document rules: the entry wraps them, so the
  // columns they derive are part of the "after" it records.
  recordDocumentWrites(strapi);
  // Strapi's own accounts, roles, permissions and tokens: services wrapped and a Koa middleware added
  // here, before the server's own middlewares and before anyone calls the services through the registry.
  recordAccountEvents(strapi);
};

export default register;
