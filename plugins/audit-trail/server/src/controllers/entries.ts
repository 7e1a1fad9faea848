import type { Core } from '@strapi/strapi';
import type { ListEntriesResponse } from '../../../shared/contracts/entries';
import { getService } from '../utils/get-service';
import { parseEntryFilters } from '../utils/filters';

type Ctx = { query: unknown; body: unknown };

const createEntriesController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Ctx) {
    ctx.body = (await getService(strapi, 'entries').list(parseEntryFilters(ctx.query))) satisfies ListEntriesResponse;
  },
});

export default createEntriesController;
