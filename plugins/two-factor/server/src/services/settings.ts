import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { TwoFactorSettings } from '../../../shared/contracts';
import { pluginConfig } from '../utils/plugin-config';

type Stored = { requiredRoles?: unknown } | null;

/**
 * The admin roles whose members must use two-factor sign-in. `TWO_FACTOR_REQUIRED_ROLES` gives the
 * starting value (Super Admin in production); once a super admin saves the setting on the admin's
 * Settings page, the saved value (in the plugin's store, shared by every cms instance) is the one.
 */
const createSettings = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'two-factor' });
  const saved = async () => {
    const value = ((await store().get({ key: 'settings' })) as Stored)?.requiredRoles;
    return Array.isArray(value) ? (value as string[]) : null;
  };
  const roles = async () =>
    ((await strapi.db.query('admin::role').findMany({ select: ['code', 'name'], orderBy: { id: 'asc' } })) as { code: string; name: string }[]).map(({ code, name }) => ({ code, name }));

  return {
    async requiredRoles(): Promise<string[]> {
      return (await saved()) ?? pluginConfig(strapi).requiredRoles;
    },

    async read(): Promise<TwoFactorSettings> {
      const stored = await saved();
      return { requiredRoles: stored ?? pluginConfig(strapi).requiredRoles, roles: await roles(), fromEnvironment: stored === null };
    },

    /** Saves the required roles; a code that names no admin role is refused, and nothing is saved. */
    async save(requiredRoles: string[]): Promise<TwoFactorSettings> {
      const known = new Set((await roles()).map((role) => role.code));
      const unknown = requiredRoles.filter((code) => !known.has(code));
      if (unknown.length > 0) throw new errors.ValidationError(`requiredRoles: no admin role ${unknown.join(', ')}`);
      await store().set({ key: 'settings', value: { requiredRoles: [...new Set(requiredRoles)] } });
      return this.read();
    },
  };
};

export type SettingsService = ReturnType<typeof createSettings>;
export default createSettings;
