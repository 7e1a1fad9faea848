/** What the audit trail's app tests share: tampering as a database owner would, and its CLIs as processes. */
import { spawn } from 'child_process';
import path from 'path';
import type { Core } from '@strapi/strapi';
import type { LedgerService } from '../services/ledger';
import { CHECKPOINTS_TABLE, ENTRIES_TABLE } from '../utils/schema';

export const REPO_DIR = path.resolve(__dirname, '..', '..', '..', '..', '..');

type Knex = Core.Strapi['db']['connection'];

/** Runs `tamper` with the append-only triggers out of the way, as someone with the database owner's rights would. */
export async function withoutTrigger(strapi: Core.Strapi, tamper: (knex: Knex) => Promise<unknown>) {
  const knex = strapi.db.connection;
  const tables = [ENTRIES_TABLE, CHECKPOINTS_TABLE];
  if (strapi.db.dialect.client === 'postgres') {
    for (const table of tables) await knex.raw(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`);
    try {
      await tamper(knex);
    } finally {
      for (const table of tables) await knex.raw(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_append_only`);
    }
  } else {
    for (const table of tables) for (const event of ['update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_append_only_${event}`);
    try {
      await tamper(knex);
    } finally {
      await (strapi.plugin('audit-trail').service('ledger') as LedgerService).install();
    }
  }
}

/** `npm run <script> -- <args>` in a process of its own, on this run's database. */
export function runScript(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number | null; output: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], { cwd: REPO_DIR, env: { ...process.env, LOG_LEVEL: 'error', ...env } });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output, stdout }));
  });
}

/** How many entries the retained chain holds (what a clean verification counts). */
export async function retainedEntries(strapi: Core.Strapi) {
  const [{ count }] = (await strapi.db.connection(ENTRIES_TABLE).count({ count: '*' })) as { count: number | string }[];
  return Number(count);
}

const RUN = Date.now().toString(36);
let sequence = 0;
/** An artist's name and slug no other artist of this run has: `Audit rest <run> 7`, `audit-rest-<run>-7`. */
export function uniqueArtist(prefix: string, label: string) {
  sequence += 1;
  const name = `${prefix} ${label} ${RUN} ${sequence}`;
  return { name, slug: name.toLowerCase().replace(/\W+/g, '-') };
}
