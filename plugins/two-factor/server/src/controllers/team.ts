import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import type { AdminFactorEntry, TwoFactorSettings } from '../../../shared/contracts';
import { getService } from '../utils/get-service';
import { parseBody } from '../utils/validation';

type Ctx = { request: { body?: unknown }; body: unknown };
type AdminRow = { id: number; firstname?: string | null; lastname?: string | null; username?: string | null; email: string; roles?: { name: string }[] };

const settingsBody = z.object({ requiredRoles: z.array(z.string().min(1).max(255)).max(100) }).strict();

/** What super admins manage for everyone: the roles that must use two-factor, and who has it on (to reset it). */
const team = ({ strapi }: { strapi: Core.Strapi }) => ({
  async settings(ctx: Ctx) {
    ctx.body = { data: (await getService(strapi, 'settings').read()) satisfies TwoFactorSettings };
  },

  async saveSettings(ctx: Ctx) {
    const { requiredRoles } = parseBody(settingsBody, ctx.request.body);
    ctx.body = { data: (await getService(strapi, 'settings').save(requiredRoles)) satisfies TwoFactorSettings };
  },

  async users(ctx: Ctx) {
    const admins = (await strapi.db.query('admin::user').findMany({ populate: ['roles'], orderBy: { id: 'asc' } })) as AdminRow[];
    const enrolled = new Set(
      ((await strapi.db.query('plugin::two-factor.factor').findMany({ where: { user_kind: 'admin', confirmed_at: { $notNull: true } }, select: ['user_id'] })) as { user_id: number }[]).map((row) => Number(row.user_id))
    );
    ctx.body = {
      data: admins.map((admin) => ({
        id: admin.id,
        name: [admin.firstname, admin.lastname].filter(Boolean).join(' ') || admin.username || admin.email,
        email: admin.email,
        roles: (admin.roles ?? []).map((role) => role.name),
        enrolled: enrolled.has(admin.id),
      })) satisfies AdminFactorEntry[],
    };
  },
});

export default team;
