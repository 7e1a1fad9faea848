import { PassThrough, Transform } from 'stream';
import { pipeline } from 'stream/promises';
import { createDigestStream, createEncryptStream } from './encryption';
import { MANIFEST_FORMAT, type BackupManifest } from './manifest';
import { connect, dumpStream, tableStats, toolVersion } from './postgres';
import type { BackupSettings } from './settings';
import type { BackupStorage } from './storage';

export type BackupLog = (message: string) => void;

/** An S3 failure in words: the SDK's own message, and the network error or HTTP status under it. */
export function describeS3Error(error: Error & { code?: string; cause?: unknown; $metadata?: { httpStatusCode?: number } }): string {
  const parts = [error.message || error.name];
  let cause = error.cause as (Error & { code?: string }) | undefined;
  for (let depth = 0; cause && depth < 3; depth += 1, cause = cause.cause as typeof cause) if (cause.code || cause.message) parts.push(cause.code ?? cause.message);
  if (error.code) parts.push(error.code);
  if (error.$metadata?.httpStatusCode) parts.push(`HTTP ${error.$metadata.httpStatusCode}`);
  return [...new Set(parts)].join(', ');
}

const countBytes = () => {
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, bytes: () => bytes };
};

/**
 * Backs up a PostgreSQL database into `backups/<id>/`:
 *
 *   pg_dump (custom format) → AES-256-GCM frames → SHA-256 and size → multipart upload to S3
 *
 * one stream end to end, about 20 MiB in memory whatever the database's size and nothing on disk.
 * pg_dump and the manifest's row counts and checksums read the same exported snapshot, so they agree
 * however busy the database is. The manifest is written only once the upload completed: a backup
 * without one (its worker died, S3 went away) is never listed, and the next attempt starts over.
 */
export async function backUpPostgres({ databaseUrl, id, settings, storage, log = () => undefined }: {
  databaseUrl: string;
  id: string;
  settings: Pick<BackupSettings, 'key'>;
  storage: BackupStorage;
  log?: BackupLog;
}): Promise<BackupManifest> {
  const started = new Date();
  await storage.forgetResults(id);
  const client = await connect(databaseUrl);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string; version: string }>('SELECT pg_export_snapshot() AS snapshot, current_setting(\'server_version\') AS version');
    const { snapshot, version } = rows[0];
    const dump = dumpStream(databaseUrl, snapshot);
    const plain = countBytes();
    const digest = createDigestStream();
    const body = new PassThrough();
    log(`backup ${id}: dumping PostgreSQL ${version} into s3://${storage.bucket}/${storage.keys(id).dump}`);
    const streamed = pipeline(dump.stream, plain.stream, createEncryptStream(settings.key), digest.stream, body);
    const target = `s3://${storage.bucket}/${storage.keys(id).dump}`;
    const uploaded = storage.uploadDump(id, body).catch((error: Error) => {
      throw new Error(`upload to ${target} failed: ${describeS3Error(error)}`);
    });
    // Either side failing stops the other: a dead upload kills pg_dump, a failed dump aborts the upload.
    let killed = false;
    const stop = (error: Error) => {
      killed ||= dump.kill();
      body.destroy(error);
    };
    streamed.catch(stop);
    uploaded.catch(stop);
    const [stats, dumped, sent, exited] = await Promise.allSettled([tableStats(client), streamed, uploaded, dump.done]);
    // The cause, not its echo: pg_dump's own failure, else the upload's, else whatever else failed.
    if (exited.status === 'rejected' && !killed) throw exited.reason;
    if (sent.status === 'rejected') throw sent.reason;
    if (dumped.status === 'rejected') throw dumped.reason;
    if (stats.status === 'rejected') throw stats.reason;
    const tables = stats.value;
    await client.query('COMMIT');
    const finished = new Date();
    const manifest: BackupManifest = {
      formatVersion: MANIFEST_FORMAT,
      id,
      engine: 'postgresql',
      serverVersion: version,
      tool: await toolVersion('pg_dump'),
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      object: { key: storage.keys(id).dump, bytes: digest.bytes, sha256: digest.sha256 as string, encryption: 'AES-256-GCM, 1 MiB frames, HKDF-SHA256 per-object key (format 1)' },
      dumpBytes: plain.bytes(),
      tables,
    };
    await storage.writeManifest(manifest);
    log(`backup ${id}: uploaded ${digest.bytes} bytes (${tables.length} tables) in ${manifest.durationMs} ms`);
    return manifest;
  } finally {
    await client.end().catch(() => undefined);
  }
}
