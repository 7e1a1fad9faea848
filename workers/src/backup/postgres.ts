import { spawn, type ChildProcess } from 'child_process';
import { PassThrough, Transform, type Readable } from 'stream';
import { Client } from 'pg';
import type { TableStats } from './manifest';

/**
 * The PostgreSQL side of a backup: pg_dump and pg_restore as child processes (streams in and out,
 * the password in their environment rather than on their command line), and the per-table statistics
 * a manifest records and a verification compares.
 */

/** A child process's connection: the URL without its password, the password as PGPASSWORD. */
export function connectionFor(url: string) {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  parsed.searchParams.delete('application_name');
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** The same server, another database. */
export function databaseUrl(url: string, name: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

const SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'";

/**
 * Every user table's row count and checksum, read in the client's current snapshot: the sum of the
 * first 60 bits of each row's MD5 (order-independent, so a restore that writes rows in another order
 * compares equal; summed as numeric, so it never overflows).
 */
export async function tableStats(client: Client): Promise<TableStats[]> {
  await client.query(SESSION);
  const { rows: tables } = await client.query<{ schema: string; name: string }>(
    `SELECT schemaname AS schema, tablename AS name FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg_toast%'
      ORDER BY schemaname, tablename`
  );
  const stats: TableStats[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*) AS rows, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text AS checksum
         FROM ${quoteIdent(schema)}.${quoteIdent(name)} t`
    );
    stats.push({ table: schema === 'public' ? name : `${schema}.${name}`, rows: Number(rows[0].rows), checksum: rows[0].checksum });
  }
  return stats;
}

export async function connect(url: string, application = 'ovation-backup') {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', application);
  const client = new Client({ connectionString: parsed.toString() });
  await client.connect();
  return client;
}

/** Waits for a child process and fails with its last stderr lines when it did not exit with 0. */
function exited(child: ChildProcess, what: string) {
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise<void>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `${what} is not installed here: backups need PostgreSQL's client tools of the server's version or newer (apt-get install -y postgresql-client)`
            : `${what} could not start: ${error.message}`,
        ),
      ),
    );
    child.once('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}`))
    );
  });
}

/**
 * pg_dump's custom format of the snapshot `snapshot`, as a stream. The stream ends only after pg_dump
 * exited with 0: a dump that stops half-way errors the stream, so an upload fed by it is aborted
 * instead of completing with half a dump.
 */
export function dumpStream(url: string, snapshot: string): { stream: Readable; done: Promise<void>; kill: () => boolean } {
  const { dbname, env } = connectionFor(url);
  const child = spawn('pg_dump', ['--format=custom', '--compress=6', `--snapshot=${snapshot}`, `--dbname=${dbname}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = exited(child, 'pg_dump');
  done.catch(() => undefined);
  const gate = new Transform({
    transform(chunk, _encoding, callback) {
      callback(null, chunk);
    },
    flush(callback) {
      done.then(() => callback(), (error: Error) => callback(error));
    },
  });
  child.stdout?.pipe(gate);
  return { stream: gate, done, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

/**
 * pg_restore reading a custom-format dump from its standard input into `url`, in one transaction (a
 * failed restore leaves the target as it was), without the source's owners and grants.
 */
export function restoreInto(url: string) {
  const { dbname, env } = connectionFor(url);
  const child = spawn('pg_restore', ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  const done = exited(child, 'pg_restore');
  const input = new PassThrough();
  // pg_restore stopping early ends its input too, with its own error (else the stream would stall).
  done.catch((error: Error) => input.destroy(error));
  input.pipe(child.stdin as NodeJS.WritableStream);
  // pg_restore may stop reading when it fails; its exit says why, not the broken pipe.
  child.stdin?.on('error', () => undefined);
  return { input, done, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

export async function toolVersion(tool: 'pg_dump' | 'pg_restore') {
  const child = spawn(tool, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk) => (out += chunk));
  await exited(child, tool);
  return out.trim();
}

/** Tables in the database's own schemas: a restore refuses to write over any without --force. */
export async function userTableCount(client: Client) {
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg_toast%'`
  );
  return Number(rows[0].n);
}

/** Empties a database for a forced restore: every schema of its own dropped, `public` made anew. */
export async function emptyDatabase(client: Client) {
  const { rows } = await client.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%'`
  );
  await client.query('BEGIN');
  for (const { name } of rows) await client.query(`DROP SCHEMA ${quoteIdent(name)} CASCADE`);
  await client.query('CREATE SCHEMA public');
  await client.query('COMMIT');
}

/** A fresh database next to `url`'s, dropped by `drop` (a verification's scratch database). */
export async function scratchDatabase(url: string, label: string) {
  const name = `ovation_verify_${label.toLowerCase().replace(/[^a-z0-9]/g, '_').slice(0, 30)}_${Date.now().toString(36)}`;
  const admin = await connect(url, 'ovation-backup-verify');
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(url, name),
    async drop() {
      const client = await connect(url, 'ovation-backup-verify');
      try {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
