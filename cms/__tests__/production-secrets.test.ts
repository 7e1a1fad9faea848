import { spawnSync } from 'child_process';
import path from 'path';
import { describe, expect, it } from 'vitest';
import { CMS_DIR, REPO_DIR } from '../test/environment';
import { SECRET_NAMES } from '../src/lib/secrets';

describe('production start', () => {
  it('refuses to start without its secrets and names every missing one', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ENV_PATH: path.join(CMS_DIR, 'test', 'none.env') };
    for (const name of SECRET_NAMES) delete env[name];
    env.APP_KEYS = 'present-one,present-two';

    const result = spawnSync(path.join(REPO_DIR, 'node_modules', '.bin', 'strapi'), ['start'], {
      cwd: CMS_DIR,
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status).not.toBe(0);
    expect(output).toMatch(/Refusing to start in production without these secrets/);
    for (const name of SECRET_NAMES.filter((n) => n !== 'APP_KEYS')) expect(output).toContain(name);
    expect(output).not.toMatch(/secrets in the environment: .*APP_KEYS/);
  });
});
