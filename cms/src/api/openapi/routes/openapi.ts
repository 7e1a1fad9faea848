import { OPENAPI_PATH } from '../../../lib/openapi';

/** The API's own description, public like the content it describes (and rate-limited like it). */
export default {
  routes: [{ method: 'GET', path: OPENAPI_PATH, handler: 'openapi.document', config: { auth: false } }],
};
