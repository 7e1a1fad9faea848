import type { Core } from '@strapi/strapi';
import { parseExportFilters } from '../utils/filters';
import { getService } from '../utils/get-service';

type Ctx = { query: unknown; body: unknown; type: string; attachment(filename: string): void; set(header: string, value: string): void };

const createExportsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** `GET /audit-trail/export?format=csv|ndjson&…filters`: streamed, recorded in the trail before the first byte. */
  async download(ctx: Ctx) {
    const { stream, contentType, filename, through } = await getService(strapi, 'exports').start(parseExportFilters(ctx.query));
    ctx.attachment(filename);
    ctx.type = contentType;
    ctx.set('X-Audit-Trail-Through', String(through));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = stream;
  },
});

export default createExportsController;
