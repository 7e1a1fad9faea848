import type { Core } from '@strapi/strapi';

/**
 * `POST /admin/two-factor/verify` (and, for an admin whose role requires two-factor, `/enrolment`
 * and `/enrolment/confirm`) sit beside core's `POST /admin/login` (a plugin's own admin routes live
 * under `/two-factor`): open like login, since the caller has a challenge and no session yet. Every wrong answer counts against the address and the account (failure limits).
 */
const HANDLERS = { verify: 'verify', enrolment: 'startEnrolment', 'enrolment/confirm': 'confirmEnrolment' } as const;
type SignInHandlers = Record<(typeof HANDLERS)[keyof typeof HANDLERS], (ctx: unknown) => Promise<void>>;

export function addAdminVerifyRoute(strapi: Core.Strapi) {
  const controller = () => strapi.plugin('two-factor').controller('admin') as unknown as SignInHandlers;
  const routers = strapi.admin!.routes as unknown as Record<string, unknown>;
  routers['two-factor'] = {
    type: 'admin',
    routes: (['verify', 'enrolment', 'enrolment/confirm'] as const).map((path) => ({
      method: 'POST',
      path: `/two-factor/${path}`,
      handler: (ctx: unknown) => controller()[HANDLERS[path]](ctx),
      config: { auth: false },
    })),
  };
}
