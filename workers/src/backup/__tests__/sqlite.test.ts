import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../../scripts/lib/s3-server';
import { backupIdFor } from '../manifest';
import { createBackupService } from '../service';
import { restoreSqliteFile, sqliteTableStats } from '../sqlite';

/** A laptop's SQLite database backed up with the online backup API to a real S3 server, verified, restored. */
describe('SQLite backups', () => {
  let s3: S3Server;
  let dir: string;
  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.createBucket('ovation-sqlite-backups');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-sqlite-backup-test-'));
  });
  afterAll(async () => {
    await s3?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('backs up a live database (WAL, a writer open), verifies it, and restores every row', async () => {
    const file = path.join(dir, 'data.db');
    const live = new Database(file);
    live.pragma('journal_mode = WAL');
    live.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT, starts REAL, hero BLOB); CREATE TABLE votes (id INTEGER PRIMARY KEY, fan TEXT)');
    const insert = live.prepare('INSERT INTO events (title, starts, hero) VALUES (?, ?, ?)');
    for (let i = 0; i < 500; i += 1) insert.run(`Event ${i}`, i / 7, crypto.randomBytes(16));
    live.prepare('INSERT INTO votes (fan) SELECT hex(randomblob(8)) FROM events').run();

    const env = { ...s3.env('unused'), BACKUP_S3_BUCKET: 'ovation-sqlite-backups', BACKUP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex') };
    const backups = createBackupService({ env });
    const id = backupIdFor(new Date(), 'laptop');
    const { manifest, verification } = await backups.backUp(id, { engine: 'sqlite', file });
    expect(verification).toMatchObject({ ok: true, mismatches: [] });
    expect(manifest.engine).toBe('sqlite');
    expect(manifest.tables).toEqual(sqliteTableStats(live));
    expect((await backups.list())[0]).toMatchObject({ id, status: 'verified', rows: 1000 });
    live.prepare('DELETE FROM votes').run();

    const restored = path.join(dir, 'restored.db');
    await restoreSqliteFile(backups.storage, manifest, backups.settings.key, restored);
    const copy = new Database(restored, { readonly: true });
    expect(sqliteTableStats(copy)).toEqual(manifest.tables);
    copy.close();
    live.close();
    backups.destroy();
  });

  it('asks S3 to seal every object with the KMS key as well when BACKUP_S3_KMS_KEY_ID is set', async () => {
    const file = path.join(dir, 'kms.db');
    const live = new Database(file);
    live.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES (\'x\')');
    live.close();
    const kmsKeyId = 'alias/ovation-backups';
    const env = { ...s3.env('unused'), BACKUP_S3_BUCKET: 'ovation-sqlite-backups', BACKUP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'), BACKUP_S3_KMS_KEY_ID: kmsKeyId };
    const backups = createBackupService({ env });
    const id = backupIdFor(new Date(), 'kms');
    await backups.backUp(id, { engine: 'sqlite', file });
    const objects = await backups.storage.objects(id);
    expect(objects.map((object) => path.basename(object.key)).sort()).toEqual(['dump.enc', 'manifest.json', 'verification.json']);
    for (const { key } of objects) {
      const head = await backups.storage.client.send(new HeadObjectCommand({ Bucket: 'ovation-sqlite-backups', Key: key }));
      expect({ key, sse: head.ServerSideEncryption, kms: head.SSEKMSKeyId }).toEqual({ key, sse: 'aws:kms', kms: kmsKeyId });
    }
    backups.destroy();
  });
});
