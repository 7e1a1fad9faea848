import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { JOB_NAMES, JOB_STATES } from '@ovation/workers/jobs';
import { z } from 'zod';
import { getService } from '../utils/get-service';

type Ctx = { params: Record<string, string>; query: Record<string, unknown>; body: unknown };

const listQuery = z.object({
  name: z.enum(JOB_NAMES as [string, ...string[]]).optional(),
  state: z.enum(JOB_STATES as [string, ...string[]]).optional(),
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const parse = <T>(schema: z.ZodType<T>, input: unknown): T => {
  const result = schema.safeParse(input);
  if (!result.success) throw new errors.ValidationError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return result.data;
};

/** The admin's Jobs page: counts per job and state, the newest jobs with their last error, Retry. */
const createJobsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async summary(ctx: Ctx) {
    const counts = await getService(strapi, 'jobs').store.summary();
    ctx.body = { data: { names: JOB_NAMES, states: JOB_STATES, counts } };
  },

  async list(ctx: Ctx) {
    const query = parse(listQuery, ctx.query) as z.infer<typeof listQuery> & { state?: (typeof JOB_STATES)[number] };
    ctx.body = { data: await getService(strapi, 'jobs').store.list(query) };
  },

  async retry(ctx: Ctx) {
    const id = parse(z.coerce.number().int().positive(), ctx.params.id);
    const job = await getService(strapi, 'jobs').store.get(id);
    if (!job) throw new errors.NotFoundError('No such job');
    if (job.state !== 'failed' && job.state !== 'dead') throw new errors.ValidationError(`Only a failed or dead job can be retried; this one is ${job.state}`);
    // A message whose earlier attempt may have been delivered is sent again only because a person said so.
    if (job.name === 'message.send') {
      const { messageId } = job.payload as { messageId: number };
      await strapi.service('api::message.message').allowResend(messageId);
    }
    await getService(strapi, 'jobs').retry({ ids: [id] });
    ctx.body = { data: { id, state: 'queued' } };
  },
});

export default createJobsController;
