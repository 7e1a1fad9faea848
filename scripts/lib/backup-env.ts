import fs from 'fs';
import path from 'path';
import knex from 'knex';
import { parseEnvFile } from '../../cms/src/lib/secrets';
import { recordOperation, type Operation } from '../../plugins/audit-trail/server/src/chain';
import type { BackupSource } from '../../workers/src/backup/service';
import { REPO_DIR } from './build';

export const CMS_DIR = path.join(REPO_DIR, 'cms');

/** The environment as the cms sees it: the process's own, then cms/.env (ENV_PATH) for what it lacks. */
export function cmsEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const file = env.ENV_PATH || path.join(CMS_DIR, '.env');
  const stored = fs.existsSync(file) ? parseEnvFile(fs.readFileSync(file, 'utf8')) : {};
  return { ...stored, ...env };
}

/**
 * Records what a backup script did in that database's own audit trail (where it has one), as the
 * script (`AUDIT_ACTOR` names who ran it, else the script's name).
 */
export async function auditScript(database: BackupSource, script: string, operation: Operation) {
  const postgres = database.engine === 'postgresql';
  const connection = postgres ? { client: 'pg', connection: database.url } : { client: 'better-sqlite3', connection: { filename: database.file }, useNullAsDefault: true };
  const db = knex(connection);
  try {
    await recordOperation(db, { postgres, actor: { kind: 'script', name: process.env.AUDIT_ACTOR || script } }, operation);
  } finally {
    await db.destroy();
  }
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** A progress bar on a terminal; a line a second elsewhere (logs, CI). */
export function progressPrinter(out: NodeJS.WriteStream = process.stdout) {
  let last = '';
  return (stage: string, done: number, total: number) => {
    const share = total ? Math.min(1, done / total) : 1;
    const bar = `${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}`;
    const line = `${stage.padEnd(9)} [${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${mb(done)} of ${mb(total)}`;
    if (out.isTTY) {
      out.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else if (line !== last) {
      out.write(`${line}\n`);
    }
    last = line;
  };
}
