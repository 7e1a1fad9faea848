import type { Core } from '@strapi/strapi';
import { maySeeDrafts, publishedOnly, type Auth } from '../lib/draft-and-publish';
import { PUBLIC_CONTENT } from '../lib/public-content';
import { createPublishedRows, type ReadQuery } from '../lib/published-rows';

type RequestContext = { state?: { route?: { info?: { type?: string } }; auth?: Auth } };
type ReadEvent = { model: { uid: string }; params?: ReadQuery };

/*
 * The public reads published content only, through every relation, over REST and GraphQL alike.
 * "The public" is anyone but a full-access API token (the admin's previews, trusted integrations):
 * visitors, signed-in users, read-only and custom tokens. Editors in the admin are not touched.
 */

/**
 * `status: DRAFT` and publication filters are refused on every public type's queries, as REST's
 * routes refuse them (each router's publishedOnly()): drafts populated from a round are drafts too.
 */
export function refuseDraftsInGraphQL(strapi: Core.Strapi) {
  const extension = strapi.plugin('graphql')?.service('extension');
  if (!extension) return;
  const { naming } = strapi.plugin('graphql').service('utils');
  const queries = PUBLIC_CONTENT.flatMap((uid) => {
    const contentType = strapi.contentType(uid);
    return [naming.getFindOneQueryName(contentType), naming.getFindQueryName(contentType), naming.getFindConnectionQueryName(contentType)];
  });
  extension.use({ resolversConfig: Object.fromEntries(queries.map((query: string) => [`Query.${query}`, publishedOnly()])) });
}

/**
 * Every database read made for a public content-API request is held to published rows
 * (src/lib/published-rows.ts): the root query, its populates and GraphQL's association loads all go
 * through the entity manager, whose lifecycles see them. Admin requests, full-access tokens and work
 * outside a request (workers, seeding) are read as Strapi reads them; the voting plugin reads its
 * tables itself.
 */
export function holdPublicReadsToPublished(strapi: Core.Strapi) {
  const rows = createPublishedRows(strapi);
  const forThePublic = () => {
    const ctx = strapi.requestContext.get() as RequestContext | undefined;
    return ctx?.state?.route?.info?.type === 'content-api' && !maySeeDrafts(ctx.state.auth);
  };
  const hold = ({ model, params }: ReadEvent) => {
    if (params && forThePublic()) rows.holdToPublished(model.uid, params);
  };
  strapi.db.lifecycles.subscribe({ beforeFindMany: hold, beforeFindOne: hold, beforeCount: hold });
}
