import fs from 'fs';
import { createRequire } from 'module';
import os from 'os';
import path from 'path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from '../lib/build';

// The README promises Node 20 (package.json's engines says from which release): every locked
// package should support it, and the ones that say they do not are named there with why they work.
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};
const readme = fs.readFileSync(path.join(REPO_DIR, 'README.md'), 'utf8');
const oldest = semver.minVersion(manifest.engines.node)?.version as string;

/** Locked packages whose engines leave out the oldest Node the project supports, as name@version. */
function unsupported() {
  const names = new Set<string>();
  for (const [location, entry] of Object.entries(lock.packages)) {
    const node = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (!location || !node || semver.satisfies(oldest, node)) continue;
    names.add(`${location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`);
  }
  return [...names].sort();
}

describe(`Node ${oldest}, the oldest package.json's engines allows`, () => {
  it('is supported by every locked package but the two @strapi/utils 5.54 pins, which the README names', () => {
    expect(unsupported()).toEqual(['preferred-pm@5.0.0', 'which-pm@4.0.0']);
    for (const name of unsupported()) expect(readme).toContain(`\`${name}\``);
  });

  it('runs them: @strapi/utils finds the package manager from a lockfile (preferred-pm) and from node_modules alone (which-pm)', async () => {
    const { packageManager } = createRequire(path.join(REPO_DIR, 'cms', 'package.json'))('@strapi/utils') as typeof import('@strapi/utils');
    expect(await packageManager.getPreferred(REPO_DIR)).toBe('npm');
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-pm-'));
    try {
      fs.mkdirSync(path.join(project, 'node_modules'));
      expect(await packageManager.getPreferred(project)).toBe('npm');
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('is the one the README promises', () => {
    expect(readme).toContain(`**Node.js ${semver.major(oldest)}.${semver.minor(oldest)} or newer**`);
  });
});
