import type { Core } from '@strapi/strapi';

/**
 * `POST /admin/two-factor/verify` sits beside core's `POST /admin/login` (a plugin's own admin
 * routes live under `/two-factor`): open like login, since the caller has a challenge and no
 * session yet. Every wrong answer counts against the address and the account (failure limits).
 */
export function addAdminVerifyRoute(strapi: Core.Strapi) {
  const routers = strapi.admin!.routes as unknown as Record<string, unknown>;
  routers['two-factor'] = {
    type: 'admin',
    routes: [
      {
        method: 'POST',
        path: '/two-factor/verify',
        handler: (ctx: unknown) => (strapi.plugin('two-factor').controller('admin') as { verify(ctx: unknown): Promise<void> }).verify(ctx),
        config: { auth: false },
      },
    ],
  };
}
