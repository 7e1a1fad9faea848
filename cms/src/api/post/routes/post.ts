import { factories } from '@strapi/strapi';
import { publishedOnly } from '../../../lib/draft-and-publish';

export default factories.createCoreRouter('api::post.post', {
  config: { find: publishedOnly(), findOne: publishedOnly() },
});
