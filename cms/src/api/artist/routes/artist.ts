import { factories } from '@strapi/strapi';
import { publishedOnly } from '../../../lib/draft-and-publish';

export default factories.createCoreRouter('api::artist.artist', {
  config: { find: publishedOnly(), findOne: publishedOnly() },
});
