import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { MaskedMember, Rule, SegmentInput, SegmentView } from '../../../shared/contracts/crm';
import { FAN } from '../segments/compile';
import { TABLES } from '../segments/tables';
import { getService } from '../utils/get-service';

const UID = 'plugin::crm.segment';
const SAMPLE = 10;

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

export const toSegmentView = (row: Row): SegmentView => ({
  id: Number(row.id),
  documentId: row.documentId as string,
  name: row.name as string,
  description: (row.description as string | null) ?? null,
  rules: json(row.rules) as Rule,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

/** Segments: saved rule trees, written through the Document Service (so the audit trail records them). */
const createSegments = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => strapi.documents(UID as never);
  const find = async (id: number) => {
    const row = (await strapi.db.query(UID as never).findOne({ where: { id } })) as Row | null;
    if (!row) throw new errors.NotFoundError('No such segment');
    return row;
  };

  return {
    async list(): Promise<SegmentView[]> {
      return ((await strapi.db.query(UID as never).findMany({ orderBy: { id: 'desc' }, limit: 200 })) as Row[]).map(toSegmentView);
    },

    async find(id: number): Promise<SegmentView> {
      return toSegmentView(await find(id));
    },

    async create(input: SegmentInput): Promise<SegmentView> {
      return toSegmentView((await documents().create({ data: { name: input.name, description: input.description ?? null, rules: input.rules } as never })) as Row);
    },

    async update(id: number, input: Partial<SegmentInput>): Promise<SegmentView> {
      const row = await find(id);
      const data = Object.fromEntries(Object.entries({ name: input.name, description: input.description, rules: input.rules }).filter(([, value]) => value !== undefined));
      return toSegmentView((await documents().update({ documentId: row.documentId as string, data: data as never })) as Row);
    },

    async remove(id: number) {
      const row = await find(id);
      const used = await strapi.db.connection(TABLES.campaigns).where({ segment_id: id }).whereNotIn('phase', ['draft', 'sent', 'cancelled']).first('id');
      if (used) throw new errors.ValidationError(`Campaign ${used.id} is sending to this segment: cancel it first`);
      await documents().delete({ documentId: row.documentId as string });
    },

    /** How many fans the rules match right now (one COUNT over the compiled query). */
    async count(rules: Rule) {
      const started = performance.now();
      const count = await getService(strapi, 'audience').count(rules);
      return { count, tookMs: Math.round(performance.now() - started) };
    },

    /** Ten members, with their number masked and their email only said to be on file. */
    async sample(rules: Rule): Promise<MaskedMember[]> {
      const rows = (await getService(strapi, 'audience')
        .query(strapi.db.connection, rules)
        .orderBy(`${FAN}.id`, 'desc')
        .limit(SAMPLE)
        .select(`${FAN}.id`, `${FAN}.document_id`, `${FAN}.phone_masked`, `${FAN}.email_hash`, `${FAN}.language`, `${FAN}.country`)) as Row[];
      return rows.map((row) => ({
        id: Number(row.id),
        documentId: row.document_id as string,
        phone: (row.phone_masked as string | null) ?? null,
        hasEmail: Boolean(row.email_hash),
        language: row.language === 'es' ? 'es' : 'en',
        country: (row.country as string | null) ?? null,
      }));
    },
  };
};

export type SegmentsService = ReturnType<typeof createSegments>;
export default createSegments;
