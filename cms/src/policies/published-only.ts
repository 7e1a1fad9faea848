import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

type Auth = { strategy?: { name?: string }; credentials?: { type?: string } };
type PolicyContext = {
  is(type: string): boolean;
  args?: { status?: string };
  request?: { query?: { status?: unknown } };
  state?: { auth?: Auth };
};

/** Only a full-access API token (the admin's previews, trusted integrations) may read drafts. */
const TOKEN_STRATEGIES = ['api-token', 'content-api-token'];
const maySeeDrafts = (auth?: Auth) =>
  TOKEN_STRATEGIES.includes(auth?.strategy?.name ?? '') && auth?.credentials?.type === 'full-access';

/**
 * Strapi's content API answers `?status=draft` (GraphQL: `status: DRAFT`) to anyone allowed to
 * find a type, which would show unpublished events and posts to the public. This refuses it.
 */
const publishedOnly = (context: PolicyContext, _config: unknown, _deps: { strapi: Core.Strapi }) => {
  const status = String((context.is('graphql') ? context.args?.status : context.request?.query?.status) ?? 'published');
  if (status.toLowerCase() === 'published' || maySeeDrafts(context.state?.auth)) return true;
  throw new errors.PolicyError('Drafts are not public: ask for published content, or use a full-access API token', {
    policy: 'published-only',
  });
};

export default publishedOnly;
