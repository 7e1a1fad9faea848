import { errors } from '@strapi/utils';
import type { Core } from '@strapi/strapi';

type Ctx = { params: { slug?: string }; body: unknown };
type Stats = { event(slug: string): Promise<object | null> };

/** `GET /api/partner/v1/events/:slug/stats`: an event's attendance and votes (counts, never a fan). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async stats(ctx: Ctx) {
    const slug = ctx.params.slug ?? '';
    if (slug.length > 255) throw new errors.ValidationError('slug: at most 255 characters');
    const stats = await (strapi.plugin('sms-voting').service('stats') as Stats).event(slug);
    if (!stats) throw new errors.NotFoundError('No published event has this slug');
    ctx.body = { data: stats };
  },
});
