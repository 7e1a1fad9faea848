import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { pipeline } from 'stream/promises';
import Database from 'better-sqlite3';
import { createDigestStream, createEncryptStream } from './encryption';
import { compareTables, MANIFEST_FORMAT, type BackupManifest, type BackupVerification, type TableStats } from './manifest';
import type { BackupLog } from './run';
import type { BackupSettings } from './settings';
import type { BackupStorage } from './storage';
import { readBackup, readManifest } from './verify';

/**
 * SQLite (a laptop's database): SQLite's online backup API copies the live file into a private temporary
 * file (the cms may keep writing meanwhile), which is encrypted into the same store as PostgreSQL's
 * dumps and removed. A laptop's database is small; PostgreSQL's path never touches the disk.
 */

const temporary = (id: string, what: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-backup-')), `${id}.${what}.db`);
const removeTemporary = (file: string) => fs.rmSync(path.dirname(file), { recursive: true, force: true });

/** The same statistics as PostgreSQL's: row count and the sum of the first 60 bits of each row's MD5. */
export function sqliteTableStats(db: Database.Database): TableStats[] {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return tables.map(({ name }) => {
    let rows = 0;
    let sum = 0n;
    for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw().iterate() as IterableIterator<unknown[]>) {
      rows += 1;
      const text = JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? value.toString() : Buffer.isBuffer(value) ? value.toString('base64') : value));
      sum += BigInt(`0x${crypto.createHash('md5').update(text).digest('hex').slice(0, 15)}`);
    }
    return { table: name, rows, checksum: sum.toString() };
  });
}

export async function backUpSqlite({ file, id, settings, storage, log = () => undefined }: {
  file: string;
  id: string;
  settings: Pick<BackupSettings, 'key'>;
  storage: BackupStorage;
  log?: BackupLog;
}): Promise<BackupManifest> {
  const started = new Date();
  await storage.forgetResults(id);
  const copy = temporary(id, 'copy');
  try {
    const live = new Database(file, { readonly: true, fileMustExist: true });
    try {
      await live.backup(copy);
    } finally {
      live.close();
    }
    const db = new Database(copy, { readonly: true });
    let tables: TableStats[];
    let version: string;
    try {
      tables = sqliteTableStats(db);
      version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    } finally {
      db.close();
    }
    const digest = createDigestStream();
    const body = createEncryptStream(settings.key);
    const streamed = pipeline(fs.createReadStream(copy), body, digest.stream);
    const uploaded = storage.uploadDump(id, digest.stream);
    await Promise.all([streamed, uploaded]);
    const finished = new Date();
    const manifest: BackupManifest = {
      formatVersion: MANIFEST_FORMAT,
      id,
      engine: 'sqlite',
      serverVersion: version,
      tool: `better-sqlite3 backup (SQLite ${version})`,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      object: { key: storage.keys(id).dump, bytes: digest.bytes, sha256: digest.sha256 as string, encryption: 'AES-256-GCM, 1 MiB frames, HKDF-SHA256 per-object key (format 1)' },
      dumpBytes: fs.statSync(copy).size,
      tables,
    };
    await storage.writeManifest(manifest);
    log(`backup ${id}: uploaded SQLite ${file} (${digest.bytes} bytes) in ${manifest.durationMs} ms`);
    return manifest;
  } finally {
    removeTemporary(copy);
  }
}

/** Downloads, checks and decrypts a SQLite backup to `file` (a restore or a verification). */
export async function restoreSqliteFile(storage: BackupStorage, manifest: BackupManifest, key: Buffer, file: string, progress?: (done: number, total: number) => void) {
  await readBackup(storage, manifest, key, fs.createWriteStream(file), progress);
}

export async function verifySqliteBackup({ id, settings, storage }: { id: string; settings: Pick<BackupSettings, 'key'>; storage: BackupStorage; log?: BackupLog }): Promise<BackupVerification> {
  const started = Date.now();
  const manifest = await readManifest(storage, id);
  const file = temporary(id, 'verify');
  let verification: BackupVerification;
  let objectIntact = false;
  try {
    await restoreSqliteFile(storage, manifest, settings.key, file);
    objectIntact = true;
    const db = new Database(file, { readonly: true });
    try {
      const mismatches = compareTables(manifest.tables, sqliteTableStats(db));
      verification = { ok: mismatches.length === 0, checkedAt: new Date().toISOString(), durationMs: Date.now() - started, objectIntact, mismatches };
    } finally {
      db.close();
    }
  } catch (error) {
    verification = { ok: false, checkedAt: new Date().toISOString(), durationMs: Date.now() - started, objectIntact, mismatches: [], error: (error as Error).message };
  } finally {
    removeTemporary(file);
  }
  await storage.writeVerification(id, verification);
  return verification;
}
