import type { Core } from '@strapi/strapi';
import { z } from 'zod/v4';
import type { InvitationSummary, PendingChange } from '../../../shared/contracts';
import { getService } from '../utils/get-service';
import { documentIdParam, inviteBody, parse } from '../utils/validation';

type Ctx = { params: Record<string, string>; request: { body?: unknown }; state: { user?: { id: number } }; body: unknown };

const changeId = z.coerce.number().int().positive();

/** The admin's side: an artist's invitation panel, and the pending changes editors publish or reject. */
const admin = ({ strapi }: { strapi: Core.Strapi }) => ({
  async invitation(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'invitations').summary(parse(documentIdParam, ctx.params.documentId))) satisfies InvitationSummary };
  },

  async invite(ctx: Ctx) {
    const documentId = parse(documentIdParam, ctx.params.documentId);
    const body = parse(inviteBody, ctx.request.body);
    ctx.body = { data: (await getService(strapi, 'invitations').invite(documentId, body, ctx.state.user?.id ?? null)) satisfies InvitationSummary };
  },

  async pendingChanges(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'profiles').pending()) satisfies PendingChange[] };
  },

  async publishChange(ctx: Ctx) {
    await getService(strapi, 'profiles').publish(parse(changeId, ctx.params.id), ctx.state.user?.id ?? null);
    ctx.body = { data: { published: true } };
  },

  async rejectChange(ctx: Ctx) {
    await getService(strapi, 'profiles').reject(parse(changeId, ctx.params.id), ctx.state.user?.id ?? null);
    ctx.body = { data: { rejected: true } };
  },
});

export default admin;
