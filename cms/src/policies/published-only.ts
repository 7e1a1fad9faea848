import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { maySeeDrafts, type Auth } from '../lib/draft-and-publish';

type Query = { status?: unknown; publicationFilter?: unknown; hasPublishedVersion?: unknown };
type PolicyContext = {
  is(type: string): boolean;
  args?: Query;
  request?: { query?: Query };
  state?: { auth?: Auth };
};

/**
 * What a read asks about drafts: a status other than published, or a publication filter, which
 * tells documents with unpublished changes from the others.
 */
const asksAboutDrafts = ({ status, publicationFilter, hasPublishedVersion }: Query = {}) =>
  String(status ?? 'published').toLowerCase() !== 'published' || publicationFilter != null || hasPublishedVersion != null;

/**
 * Strapi's content API answers `?status=draft` (GraphQL: `status: DRAFT`) to anyone allowed to
 * find a type, which would show unpublished events and posts (and, populated from a round or a
 * lineup entry, unpublished events and artists) to the public. This refuses it.
 */
const publishedOnly = (context: PolicyContext, _config: unknown, _deps: { strapi: Core.Strapi }) => {
  const query = context.is('graphql') ? context.args : context.request?.query;
  if (!asksAboutDrafts(query) || maySeeDrafts(context.state?.auth)) return true;
  throw new errors.PolicyError('Drafts are not public: ask for published content, or use a full-access API token', {
    policy: 'published-only',
  });
};

export default publishedOnly;
