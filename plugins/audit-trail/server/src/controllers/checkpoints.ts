import type { Core } from '@strapi/strapi';
import type { ListCheckpointsResponse } from '../../../shared/contracts/checkpoints';
import { parseCheckpointFilters } from '../utils/filters';
import { getService } from '../utils/get-service';

type Ctx = { query: unknown };

const createCheckpointsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Not `find`: Strapi grants every `find` to read-only API tokens, and checkpoints are for tokens given this permission. */
  async list(ctx: Ctx & { body?: unknown }) {
    ctx.body = (await getService(strapi, 'checkpoints').list(parseCheckpointFilters(ctx.query))) satisfies ListCheckpointsResponse;
  },
});

export default createCheckpointsController;
