import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { describe, expect, it } from 'vitest';
import { registry, setMetricSources } from '../../workers/src/observability/metrics';

const PROMETHEUS_DIR = path.resolve(__dirname, '..', 'prometheus');
const promtool = (...args: string[]) => spawnSync('promtool', args, { cwd: PROMETHEUS_DIR, encoding: 'utf8' });

/** The alert rules are valid, behave as their unit tests say, and watch metrics Ovation really exports. */
describe('Prometheus alert rules (infra/prometheus)', () => {
  it('pass `promtool check rules` and `promtool test rules`', () => {
    const version = promtool('--version');
    expect(version.error, 'promtool is missing: apt-get install -y prometheus (Debian) puts it on the PATH').toBeUndefined();
    const check = promtool('check', 'rules', 'rules.yaml');
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = promtool('test', 'rules', 'rules.test.yaml');
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/SUCCESS/);
  });

  it('name only ovation_* metrics that the cms and the workers export', async () => {
    // Every source connected (as the workers' process has them, backups included), so every gauge is registered.
    setMetricSources({
      pool: () => ({ used: 0, free: 0, pending: 0, max: 0 }),
      pingDatabase: async () => undefined,
      pingRedis: async () => undefined,
      queue: async () => [],
      backups: async () => ({ lastSuccessAt: null, lastVerifiedAt: null, lastVerificationOk: null }),
    });
    const exported = new Set<string>();
    for (const metric of await registry.getMetricsAsJSON()) {
      exported.add(metric.name);
      if (metric.type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) exported.add(metric.name + suffix);
    }
    const rules = fs.readFileSync(path.join(PROMETHEUS_DIR, 'rules.yaml'), 'utf8').replace(/^\s*#.*$/gm, '');
    const used = new Set(rules.match(/\bovation_[a-z_]+/g));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(exported.has(name), name).toBe(true);
    // The dashboard too.
    const dashboard = fs.readFileSync(path.resolve(__dirname, '..', 'grafana', 'ovation.json'), 'utf8');
    for (const name of new Set(dashboard.match(/\bovation_[a-z_]+/g))) expect(exported.has(name), `dashboard: ${name}`).toBe(true);
    expect(() => JSON.parse(dashboard)).not.toThrow();
    expect(execFileSync('promtool', ['--version'], { encoding: 'utf8' })).toMatch(/promtool/);
  });
});
