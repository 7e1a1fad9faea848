import { Readable } from 'stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  NoSuchKey,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BackupSettings } from './settings';
import { backupTime, type BackupManifest, type BackupVerification } from './manifest';

/** Every backup lives under `backups/<id>/`: the encrypted dump, its manifest, its verification. */
export const BACKUP_PREFIX = 'backups/';
const keys = (id: string) => ({
  dump: `${BACKUP_PREFIX}${id}/dump.enc`,
  manifest: `${BACKUP_PREFIX}${id}/manifest.json`,
  verification: `${BACKUP_PREFIX}${id}/verification.json`,
});

/** Parts of 8 MiB, two in flight: the upload holds about 16 MiB whatever the database's size. */
const PART_BYTES = 8 << 20;

export function createBackupStorage(settings: Pick<BackupSettings, 'bucket' | 's3' | 'kmsKeyId'>) {
  const { s3, bucket, kmsKeyId } = settings;
  // Sealed by S3 with the KMS key as well where one is configured: the objects are encrypted already.
  const sse = kmsKeyId ? ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId } as const) : {};
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
    maxAttempts: 3,
  });

  const getJson = async <T>(key: string): Promise<T | null> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await (object.Body as { transformToString(): Promise<string> }).transformToString()) as T;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  };
  const putJson = (key: string, value: unknown) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value, null, 2), ContentType: 'application/json', ...sse }));

  const listKeys = async (prefix: string, delimiter?: string) => {
    const found: { keys: { key: string; size: number; modified?: Date }[]; prefixes: string[] } = { keys: [], prefixes: [] };
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
      for (const object of page.Contents ?? []) found.keys.push({ key: object.Key as string, size: Number(object.Size ?? 0), modified: object.LastModified });
      for (const common of page.CommonPrefixes ?? []) found.prefixes.push(common.Prefix as string);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  };

  return {
    client,
    bucket,
    keys,

    /** Streams the body into a multipart upload; a failure aborts the upload, so no partial object is left. */
    async uploadDump(id: string, body: Readable) {
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: keys(id).dump, Body: body, ContentType: 'application/octet-stream', ...sse },
        partSize: PART_BYTES,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    },

    async downloadDump(id: string): Promise<Readable> {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keys(id).dump }));
      return object.Body as Readable;
    },

    manifest: (id: string) => getJson<BackupManifest>(keys(id).manifest),
    verification: (id: string) => getJson<BackupVerification>(keys(id).verification),
    writeManifest: (manifest: BackupManifest) => putJson(keys(manifest.id).manifest, manifest),
    writeVerification: (id: string, verification: BackupVerification) => putJson(keys(id).verification, verification),

    /** Every backup id that has anything stored (complete or not), oldest first. */
    async ids() {
      const { prefixes } = await listKeys(BACKUP_PREFIX, '/');
      return prefixes.map((prefix) => prefix.slice(BACKUP_PREFIX.length, -1)).sort();
    },

    /** The objects of one backup (the dump, the manifest, the verification: whichever exist). */
    objects: async (id: string) => (await listKeys(`${BACKUP_PREFIX}${id}/`)).keys,

    /** Deletes everything stored for a backup. */
    async remove(id: string) {
      const { keys: objects } = await listKeys(`${BACKUP_PREFIX}${id}/`);
      if (objects.length) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.map(({ key }) => ({ Key: key })) } }));
    },

    /** Forgets what an earlier attempt at this backup recorded, so only this attempt's results count. */
    async forgetResults(id: string) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: keys(id).verification }, { Key: keys(id).manifest }] } }));
    },

    /**
     * Aborts the multipart uploads of backups begun before `before` and never completed (their worker
     * died mid-upload): invisible in listings, but their parts are stored and paid for until aborted.
     */
    async abortStaleUploads(before: Date) {
      let aborted = 0;
      const { Uploads = [] } = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: BACKUP_PREFIX }));
      for (const upload of Uploads) {
        // Aged by the backup's id (its start time), not by the server's `Initiated` (moto reports a fixed 2010 date).
        const started = backupTime((upload.Key ?? '').slice(BACKUP_PREFIX.length).split('/')[0]);
        if (started && started < before) {
          await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
          aborted += 1;
        }
      }
      return aborted;
    },

    /** A link that downloads the encrypted dump for `seconds` (it is useless without the key). */
    downloadUrl: (id: string, seconds = 300) => getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: keys(id).dump, ResponseContentDisposition: `attachment; filename="ovation-${id}.dump.enc"` }), { expiresIn: seconds }),

    destroy: () => client.destroy(),
  };
}

export type BackupStorage = ReturnType<typeof createBackupStorage>;
