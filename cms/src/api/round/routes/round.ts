import { factories } from '@strapi/strapi';
import { PUBLISHED_ONLY } from '../../../lib/draft-and-publish';

export default factories.createCoreRouter('api::round.round', {
  config: { find: PUBLISHED_ONLY, findOne: PUBLISHED_ONLY },
});
