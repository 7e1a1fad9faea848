import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import type { CampaignProgress, CampaignView, TestSendResult } from '../../../shared/contracts/crm';
import { sanitiseEmailHtml } from '../campaigns/email';
import { templateProblems } from '../campaigns/template';
import { getService } from '../utils/get-service';
import { invalidAll, parse } from '../utils/validation';
import { idParam } from './segments';

type Ctx = { params: Record<string, string>; request: { body?: unknown }; body: unknown; status: number; state: { user?: { id: number; email?: string } } };

// An email's HTML may be long; an SMS's body is held to 5,000 characters.
const template = z.object({ subject: z.string().trim().min(1).max(200).optional(), body: z.string().trim().min(1).max(100_000), text: z.string().trim().min(1).max(50_000).optional() }).strict();
const fields = {
  name: z.string().trim().min(1).max(120),
  channel: z.enum(['sms', 'email']),
  segmentId: z.number().int().positive(),
  eventRef: z.string().trim().min(1).max(64).nullable().optional(),
  artistRef: z.string().trim().min(1).max(64).nullable().optional(),
  templates: z.object({ en: template, es: template.optional() }).strict(),
};
const createBody = z.object(fields).strict();
const updateBody = z.object(fields).partial().strict();
const sendBody = z
  .object({ at: z.string().datetime({ offset: true }).optional(), localTime: z.string().optional(), on: z.string().optional() })
  .strict()
  .refine((body) => !(body.at && body.localTime), { message: 'either `at` or `localTime`, not both', path: ['localTime'] })
  .refine((body) => !body.on || body.localTime, { message: '`on` goes with `localTime`', path: ['on'] });
const testBody = z
  .object({ language: z.enum(['en', 'es']), to: z.string().trim().regex(/^\+[1-9]\d{7,14}$/, 'a phone number in international format (+14155550100)').optional() })
  .strict();

/** Every template's unknown variables and stray braces, and an email without its subject: a 400 naming each. */
function checkTemplates(input: { channel?: 'sms' | 'email'; templates?: z.infer<typeof fields.templates> }) {
  if (!input.templates) return;
  const issues: { path: string[]; message: string }[] = [];
  for (const [language, text] of Object.entries(input.templates)) {
    if (!text) continue;
    for (const part of ['subject', 'body'] as const) {
      for (const message of templateProblems(text[part] ?? '')) issues.push({ path: [language, part], message });
    }
    if (input.channel === 'email' && !text.subject) issues.push({ path: [language, 'subject'], message: 'an email needs a subject' });
    if (input.channel !== 'email' && text.text) issues.push({ path: [language, 'text'], message: 'only an email has a plain-text part' });
    if (input.channel !== 'email' && text.body.length > 5000) issues.push({ path: [language, 'body'], message: 'an SMS is at most 5000 characters' });
    for (const message of templateProblems(text.text ?? '')) issues.push({ path: [language, 'text'], message });
  }
  if (issues.length) throw invalidAll(['templates'], issues);
}

/** An email's HTML as it is kept: sanitised on every save (scripts, handlers, `javascript:` links removed). */
function sanitised<T extends { channel?: 'sms' | 'email'; templates?: z.infer<typeof fields.templates> }>(input: T, channel: 'sms' | 'email' | undefined): T {
  if (channel !== 'email' || !input.templates) return input;
  const templates = Object.fromEntries(Object.entries(input.templates).map(([language, text]) => [language, text && { ...text, body: sanitiseEmailHtml(text.body) }]));
  for (const [language, text] of Object.entries(templates)) {
    if (text && !text.body) throw invalidAll(['templates'], [{ path: [language, 'body'], message: 'the HTML has nothing left once sanitised' }]);
  }
  return { ...input, templates: templates as T['templates'] };
}

const userOf = (ctx: Ctx) => Number(ctx.state.user?.id);

/** Campaigns: drafts, send or schedule, approve, pause, resume, cancel, and their progress. */
const createCampaignsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'campaigns').list()) satisfies CampaignView[] };
  },
  async find(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'campaigns').progress(idParam(ctx))) satisfies CampaignProgress };
  },
  async create(ctx: Ctx) {
    const input = parse(createBody, ctx.request.body ?? {});
    checkTemplates(input);
    const clean = sanitised(input, input.channel);
    ctx.status = 201;
    ctx.body = { data: (await getService(strapi, 'campaigns').create(clean, userOf(ctx))) satisfies CampaignView };
  },
  async update(ctx: Ctx) {
    const id = idParam(ctx);
    const input = parse(updateBody, ctx.request.body ?? {});
    // A channel or a template changed: the templates are checked against the channel they will go on.
    const saved = await getService(strapi, 'campaigns').find(id);
    checkTemplates({ channel: input.channel ?? saved.channel, templates: input.templates ?? (input.channel ? saved.templates : undefined) });
    ctx.body = { data: (await getService(strapi, 'campaigns').update(id, sanitised(input, input.channel ?? saved.channel))) satisfies CampaignView };
  },
  async send(ctx: Ctx) {
    const id = idParam(ctx);
    const { at, localTime, on } = parse(sendBody, ctx.request.body ?? {});
    ctx.status = 202;
    ctx.body = { data: (await getService(strapi, 'campaigns').send(id, { at: at ? new Date(at) : undefined, localTime, on })) satisfies CampaignView };
  },
  async approve(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'campaigns').approve(idParam(ctx), userOf(ctx))) satisfies CampaignView };
  },
  async pause(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'campaigns').pause(idParam(ctx))) satisfies CampaignView };
  },
  async resume(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'campaigns').resume(idParam(ctx))) satisfies CampaignView };
  },
  /** Send test: an email to the signed-in admin's own address; an SMS to the number they typed. */
  async test(ctx: Ctx) {
    const id = idParam(ctx);
    const { language, to } = parse(testBody, ctx.request.body ?? {});
    const campaign = await getService(strapi, 'campaigns').find(id);
    const recipient = campaign.channel === 'email' ? ctx.state.user?.email : to;
    if (!recipient) throw invalidAll([], [{ path: ['to'], message: campaign.channel === 'email' ? 'your admin account has no email address' : 'type the number the test SMS goes to' }]);
    ctx.status = 202;
    ctx.body = { data: (await getService(strapi, 'test-sends').send(id, { language, to: recipient }, userOf(ctx))) satisfies TestSendResult };
  },
  async cancel(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'campaigns').cancel(idParam(ctx))) satisfies CampaignView };
  },
});

export default createCampaignsController;
