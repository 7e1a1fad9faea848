import { env } from '@strapi/utils';
import { afterEach, describe, expect, it } from 'vitest';
import plugins from '../../../config/plugins';

const saved = { NODE_ENV: process.env.NODE_ENV, AUDIT_TRAIL_ENABLED: process.env.AUDIT_TRAIL_ENABLED };
const auditTrail = (vars: Record<string, string | undefined>) => {
  Object.assign(process.env, vars);
  for (const [name, value] of Object.entries(vars)) if (value === undefined) delete process.env[name];
  return (plugins({ env }) as Record<string, { enabled?: boolean }>)['audit-trail'];
};

describe('the audit trail switch', () => {
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is on unless turned off, and can be turned off only outside production (a benchmark baseline)', () => {
    expect(auditTrail({ NODE_ENV: 'production', AUDIT_TRAIL_ENABLED: undefined }).enabled).toBe(true);
    expect(auditTrail({ NODE_ENV: 'development', AUDIT_TRAIL_ENABLED: 'false' }).enabled).toBe(false);
    expect(() => auditTrail({ NODE_ENV: 'production', AUDIT_TRAIL_ENABLED: 'false' })).toThrow(/cannot be turned off in production/);
  });
});
