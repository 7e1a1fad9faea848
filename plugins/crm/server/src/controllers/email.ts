import type { Core } from '@strapi/strapi';
import { EMAIL_API, type Confirm, type Language, type Subscribe, type Unsubscribe } from '../../../shared/contracts/email';
import { emailPages } from '../email/pages';
import { SubscribeBody } from '../routes/schemas';
import { TABLES } from '../segments/tables';
import { getService } from '../utils/get-service';
import { pluginConfig } from '../utils/plugin-config';
import { parse } from '../utils/validation';

type Ctx = {
  params: Record<string, string>;
  request: { body?: unknown; ip: string };
  body: unknown;
  status: number;
  type: string;
  get(header: string): string;
  set(header: string, value: string): void;
};

const STATUS_OF: Record<string, number> = { ValidationError: 400, NotFoundError: 404, RateLimitError: 429 };

/** A person at a browser (a form's post, a link opened) gets a page; a program gets Strapi's JSON. */
const wantsPage = (ctx: Ctx) => /text\/html/.test(ctx.get('accept') ?? '');

/**
 * Marketing email's public routes: sign up (the site's forms post here), the confirmation link's
 * page and its POST, and the unsubscribe link's page and its one-click POST (RFC 8058). The cms's
 * rate limit spends each caller's per-address budget on all of them; a sign-up also has its own
 * limit per address emailed (services/email-signups.ts).
 */
const createEmailController = ({ strapi }: { strapi: Core.Strapi }) => {
  const brand = () => pluginConfig(strapi).brandName;
  const html = (ctx: Ctx, status: number, body: string) => {
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = body;
  };
  /** Runs `action`; for a page, a refusal (404, 409, 410) is shown on a page with its status. */
  const asPage = async (ctx: Ctx, language: Language, action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      const status = (error as { status?: number }).status ?? STATUS_OF[(error as Error).name];
      if (!wantsPage(ctx) || !status || status >= 500) throw error;
      html(ctx, status, emailPages.problem(language, (error as Error).message));
    }
  };
  const signupLanguage = async (token: string): Promise<Language> =>
    ((await getService(strapi, 'email-signups').find(token).catch(() => null))?.language as Language | undefined) ?? 'en';
  const recipientLanguage = async (token: string): Promise<Language> => {
    const message = await getService(strapi, 'unsubscribe').messageOf(token).catch(() => null);
    const fan = message && (await strapi.db.connection(TABLES.fans).where({ email_hash: message.recipient_hash }).first('language'));
    return fan?.language === 'es' ? 'es' : 'en';
  };

  return {
    async subscribe(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const input = parse(SubscribeBody, ctx.request.body ?? {});
      const result = await getService(strapi, 'email-signups').signUp(input, ctx.request.ip);
      ctx.status = 202;
      ctx.body = { data: result } satisfies Subscribe.Response;
    },

    async confirmPage(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const token = String(ctx.params.token);
      const language = await signupLanguage(token);
      await asPage(ctx, language, async () => {
        const signup = await getService(strapi, 'email-signups').find(token);
        html(ctx, 200, emailPages.confirm(signup.language, brand(), EMAIL_API.confirm(token)));
      });
    },

    async confirm(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const token = String(ctx.params.token);
      const language = await signupLanguage(token);
      await asPage(ctx, language, async () => {
        await getService(strapi, 'email-signups').confirm(token, ctx.request.ip);
        if (wantsPage(ctx)) return html(ctx, 200, emailPages.confirmed(language, brand()));
        ctx.body = { data: { status: 'confirmed' } } satisfies Confirm.Response;
      });
    },

    async unsubscribePage(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const token = String(ctx.params.token);
      const language = await recipientLanguage(token);
      await asPage(ctx, language, async () => {
        await getService(strapi, 'unsubscribe').messageOf(token);
        html(ctx, 200, emailPages.unsubscribe(language, brand(), EMAIL_API.unsubscribe(token)));
      });
    },

    /** One request, no confirmation: a mail client's one-click POST (`List-Unsubscribe=One-Click`) or the page's button. */
    async unsubscribe(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      const token = String(ctx.params.token);
      const language = await recipientLanguage(token);
      await asPage(ctx, language, async () => {
        await getService(strapi, 'unsubscribe').unsubscribe(token, wantsPage(ctx) ? 'page' : 'one-click', ctx.request.ip);
        if (wantsPage(ctx)) return html(ctx, 200, emailPages.unsubscribed(language, brand()));
        ctx.body = { data: { status: 'unsubscribed' } } satisfies Unsubscribe.Response;
      });
    },
  };
};

export default createEmailController;
