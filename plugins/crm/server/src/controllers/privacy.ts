import { Readable } from 'stream';
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { EXPORT_KINDS, MAX_TAG_LENGTH, MAX_TAGS, type ErasureReport, type FanExport, type FanProfile, type FanSearch, type FanSummary, type RevealedContact } from '../../../shared/contracts/privacy';
import { getService } from '../utils/get-service';
import { invalid, parse } from '../utils/validation';
import { idParam } from './segments';

type Ctx = {
  params: Record<string, string>;
  query: Record<string, unknown>;
  request: { body?: unknown };
  body: unknown;
  status: number;
  type: string;
  set(name: string, value: string): void;
};

const searchQuery = z.object({ q: z.string().trim().min(3).max(320) }).strict();
/** A date (`to` inclusive: up to the next midnight UTC) or an ISO time. */
const when = z.union([z.string().date(), z.string().datetime({ offset: true })]);
const exportQuery = z
  .object({
    format: z.enum(['csv', 'json']).default('csv'),
    event: z.string().trim().regex(/^[a-z0-9]{1,64}$/, 'an event’s document id').optional(),
    from: when.optional(),
    to: when.optional(),
  })
  .strict();
const eraseBody = z.object({ confirm: z.string().min(1) }).strict();
/** A fan's tags: short words a person types, each once, in the order given. */
const tagsBody = z
  .object({
    tags: z
      .array(
        z
          .string()
          .trim()
          .min(1, 'a tag cannot be empty')
          .max(MAX_TAG_LENGTH, `a tag is at most ${MAX_TAG_LENGTH} characters`)
          .regex(/^[^\p{Cc}]+$/u, 'a tag has no control characters')
      )
      .max(MAX_TAGS, `a fan has at most ${MAX_TAGS} tags`)
      .transform((tags) => [...new Set(tags)]),
  })
  .strict();
const endOf = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(new Date(`${value}T00:00:00Z`).getTime() + 86_400_000) : new Date(value));

/** The fan page, one fan's export and erasure, and the bulk exports. */
const createPrivacyController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async search(ctx: Ctx) {
    const { q } = parse(searchQuery, ctx.query);
    ctx.body = { data: { fans: await getService(strapi, 'fans').search(q) } satisfies FanSearch };
  },
  async profile(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'fans').profile(idParam(ctx))) satisfies FanProfile };
  },
  async reveal(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'fans').reveal(idParam(ctx))) satisfies RevealedContact };
  },
  async setTags(ctx: Ctx) {
    const id = idParam(ctx);
    const { tags } = parse(tagsBody, ctx.request.body ?? {});
    ctx.body = { data: (await getService(strapi, 'fans').setTags(id, tags)) satisfies FanSummary };
  },
  async exportFan(ctx: Ctx) {
    const data = (await getService(strapi, 'fans').exportOne(idParam(ctx))) satisfies FanExport;
    ctx.set('Content-Disposition', `attachment; filename="fan-${data.fan.documentId}.json"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data };
  },
  async erase(ctx: Ctx) {
    const id = idParam(ctx);
    const { confirm } = parse(eraseBody, ctx.request.body ?? {});
    ctx.body = { data: (await getService(strapi, 'fans').erase(id, confirm)) satisfies ErasureReport };
  },
  async exportRows(ctx: Ctx) {
    const kind = parse(z.enum(EXPORT_KINDS), ctx.params.kind);
    const query = parse(exportQuery, ctx.query);
    const filters = { event: query.event, from: query.from ? new Date(query.from) : undefined, to: query.to ? endOf(query.to) : undefined };
    if (filters.from && filters.to && filters.from >= filters.to) throw invalid('to', 'must be after from');
    const format = query.format ?? 'csv';
    const opened = await getService(strapi, 'exports').open(kind, format, filters);
    ctx.type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${kind}${filters.event ? `-${filters.event}` : ''}.${format}"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = Readable.from(opened.text);
  },
});

export default createPrivacyController;
