import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod/v4';
import type { CheckKeyword, CreateWizardEvent, GetWizardEvent, ListArtistChoices, ListDraftEvents, UpdateWizardEvent, ValidateWizardEvent } from '../../../shared/contracts';
import { getService } from '../utils/get-service';
import { parseBody } from '../utils/validation';
import { WizardBody } from '../utils/wizard-rules';

type Ctx = { params: Record<string, string>; query: Record<string, unknown>; request: { body: unknown }; body: unknown; status: number };

const INVALID = 'The event has problems: see each field';
const KeywordQuery = z.object({ keyword: z.string().max(40), documentId: z.string().max(64).optional() });

/** The event wizard: one submission, saved whole or refused with each problem at its field. */
const createWizardController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: Ctx) {
    const input = parseBody(WizardBody, ctx.request.body, INVALID);
    const result = await getService(strapi, 'wizard').save(input);
    ctx.status = 201;
    ctx.body = { data: result! } satisfies CreateWizardEvent.Response;
  },

  async update(ctx: Ctx) {
    const input = parseBody(WizardBody, ctx.request.body, INVALID);
    const result = await getService(strapi, 'wizard').save(input, { documentId: ctx.params.documentId });
    if (!result) throw new errors.NotFoundError('No such event');
    ctx.body = { data: result } satisfies UpdateWizardEvent.Response;
  },

  /** Every rule of a save, the database's included (the writes are made and rolled back). */
  async validate(ctx: Ctx) {
    const input = parseBody(WizardBody, ctx.request.body, INVALID);
    const result = await getService(strapi, 'wizard').save(input, { documentId: input.documentId, dryRun: true });
    if (!result) throw new errors.NotFoundError('No such event');
    ctx.body = { data: { valid: true } } satisfies ValidateWizardEvent.Response;
  },

  async event(ctx: Ctx) {
    const event = await getService(strapi, 'wizard-views').load(ctx.params.documentId);
    if (!event) throw new errors.NotFoundError('No such event');
    ctx.body = { data: event } satisfies GetWizardEvent.Response;
  },

  async keyword(ctx: Ctx) {
    const { keyword, documentId } = parseBody(KeywordQuery, ctx.query, 'keyword is required');
    ctx.body = { data: await getService(strapi, 'wizard').availability(keyword, documentId) } satisfies CheckKeyword.Response;
  },

  async drafts(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'wizard-views').drafts() } satisfies ListDraftEvents.Response;
  },

  async artists(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'wizard-views').artists() } satisfies ListArtistChoices.Response;
  },
});

export default createWizardController;
