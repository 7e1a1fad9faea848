// Runs before `npm run dev` and `npm test` with nothing but Node itself, so both work on a fresh
// clone: checks the Node version and installs dependencies from the lockfile when they are missing
// or older than it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgress } from './lib/progress.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The oldest Node every locked dependency supports, from package.json's engines (">=20.19.0 <23").
const { engines } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const oldest = />=\s*(\d+)\.(\d+)/.exec(engines.node).slice(1).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < oldest[0] || (major === oldest[0] && minor < oldest[1])) {
  console.error(`Ovation needs Node.js ${oldest.join('.')} or newer (this is ${process.version}).`);
  process.exit(1);
}

const installed = path.join(root, 'node_modules', '.package-lock.json');
const lockfile = path.join(root, 'package-lock.json');
const fresh = !fs.existsSync(installed);
if (fresh || fs.statSync(installed).mtimeMs < fs.statSync(lockfile).mtimeMs) {
  const status = await createProgress().run({
    // A fresh clone installs about 2,300 packages; an update after a lockfile change, a few.
    ...(fresh
      ? { key: 'install', label: 'Install the dependencies from package-lock.json (about 2,300 packages)', estimateMs: 240_000 }
      : { key: 'install update', label: 'Bring the dependencies up to date with package-lock.json', estimateMs: 30_000 }),
    run: () =>
      new Promise((resolve) => {
        const npm = spawn('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
        npm.on('exit', (code) => resolve(code ?? 1));
        npm.on('error', () => resolve(1));
      }),
  });
  if (status !== 0) process.exit(status);
}
