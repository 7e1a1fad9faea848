import { factories } from '@strapi/strapi';
import { publishedOnly } from '../../../lib/draft-and-publish';

export default factories.createCoreRouter('api::lineup-entry.lineup-entry', {
  config: { find: publishedOnly(), findOne: publishedOnly() },
});
