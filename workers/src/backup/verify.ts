import { Transform, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { createDecryptStream, createDigestStream } from './encryption';
import { compareTables, MANIFEST_FORMAT, type BackupManifest, type BackupVerification } from './manifest';
import { connect, restoreInto, scratchDatabase, tableStats } from './postgres';
import type { BackupLog } from './run';
import type { BackupSettings } from './settings';
import type { BackupStorage } from './storage';

export class BackupRefusedError extends Error {
  name = 'BackupRefusedError';
}

/** Reports bytes read every second or so (a restore's progress line). */
export function progressStream(total: number, report?: (done: number, total: number) => void) {
  let done = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      if (report && (Date.now() - last > 1_000 || done === total)) {
        last = Date.now();
        report(done, total);
      }
      callback(null, chunk);
    },
  });
}

export async function readManifest(storage: BackupStorage, id: string) {
  const manifest = await storage.manifest(id);
  if (!manifest) throw new BackupRefusedError(`No complete backup "${id}" in s3://${storage.bucket} (no manifest: it never finished, or it does not exist)`);
  if (manifest.formatVersion !== MANIFEST_FORMAT) throw new BackupRefusedError(`Backup ${id} has manifest format ${manifest.formatVersion}; this version reads ${MANIFEST_FORMAT}`);
  return manifest;
}

/**
 * Streams the stored object through its checks (size, SHA-256, every frame's tag) into `sink`, or
 * nowhere. Throws when the object is not exactly what its manifest describes.
 */
export async function readBackup(storage: BackupStorage, manifest: BackupManifest, key: Buffer, sink: Writable | null, progress?: (done: number, total: number) => void) {
  const digest = createDigestStream();
  const source = await storage.downloadDump(manifest.id);
  const decrypt = createDecryptStream(key);
  const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  await pipeline(source, progressStream(manifest.object.bytes, progress), digest.stream, decrypt, sink ?? discard);
  if (digest.bytes !== manifest.object.bytes || digest.sha256 !== manifest.object.sha256) {
    throw new BackupRefusedError(`Backup ${manifest.id} is not the object its manifest describes (${digest.bytes} bytes, SHA-256 ${digest.sha256}; expected ${manifest.object.bytes}, ${manifest.object.sha256})`);
  }
}

/**
 * Proves a backup restores: its object is read back from S3, decrypted and restored into a scratch
 * database on the same server, whose tables' row counts and checksums must equal the manifest's. The
 * scratch database is dropped afterwards, and the result is stored as `verification.json` beside the
 * backup (what lists and the admin show).
 */
export async function verifyPostgresBackup({ databaseUrl, id, settings, storage, log = () => undefined }: {
  databaseUrl: string;
  id: string;
  settings: Pick<BackupSettings, 'key'>;
  storage: BackupStorage;
  log?: BackupLog;
}): Promise<BackupVerification> {
  const started = Date.now();
  const manifest = await readManifest(storage, id);
  const scratch = await scratchDatabase(databaseUrl, id);
  let verification: BackupVerification;
  // False once the stored object failed its checks (as opposed to a restore or comparison that failed).
  let objectIntact = true;
  try {
    const restore = restoreInto(scratch.url);
    try {
      await readBackup(storage, manifest, settings.key, restore.input);
    } catch (error) {
      restore.kill();
      const restoreError = await restore.done.then(() => null, (failure: Error) => failure);
      objectIntact = error === restoreError;
      throw error;
    }
    await restore.done;
    const client = await connect(scratch.url, 'ovation-backup-verify');
    let found;
    try {
      found = await tableStats(client);
    } finally {
      await client.end();
    }
    const mismatches = compareTables(manifest.tables, found);
    verification = { ok: mismatches.length === 0, checkedAt: new Date().toISOString(), durationMs: Date.now() - started, objectIntact, mismatches };
  } catch (error) {
    verification = { ok: false, checkedAt: new Date().toISOString(), durationMs: Date.now() - started, objectIntact, mismatches: [], error: (error as Error).message };
  } finally {
    await scratch.drop().catch((error: Error) => log(`backup ${id}: could not drop scratch database ${scratch.name}: ${error.message}`));
  }
  await storage.writeVerification(id, verification);
  return verification;
}
