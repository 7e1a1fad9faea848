/** Which admin roles must use two-factor: Super Admins by default in production, none elsewhere, the environment's list when set. */
import { env } from '@strapi/utils';
import { afterEach, describe, expect, it } from 'vitest';
import plugins from '../../../../../cms/config/plugins';

const saved = { NODE_ENV: process.env.NODE_ENV, TWO_FACTOR_REQUIRED_ROLES: process.env.TWO_FACTOR_REQUIRED_ROLES };
const requiredRoles = (vars: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return (plugins({ env }) as Record<string, { config: { requiredRoles: string[] } }>)['two-factor'].config.requiredRoles;
};

describe('TWO_FACTOR_REQUIRED_ROLES', () => {
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is Super Admin in production and nobody elsewhere unless set; an empty value is nobody', () => {
    expect(requiredRoles({ NODE_ENV: 'production', TWO_FACTOR_REQUIRED_ROLES: undefined })).toEqual(['strapi-super-admin']);
    expect(requiredRoles({ NODE_ENV: 'development', TWO_FACTOR_REQUIRED_ROLES: undefined })).toEqual([]);
    expect(requiredRoles({ NODE_ENV: 'production', TWO_FACTOR_REQUIRED_ROLES: 'strapi-super-admin,strapi-editor' })).toEqual(['strapi-super-admin', 'strapi-editor']);
    expect(requiredRoles({ NODE_ENV: 'production', TWO_FACTOR_REQUIRED_ROLES: '' })).toEqual([]);
  });
});
