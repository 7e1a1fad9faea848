/**
 * Where uploads live, from the environment: one home for the S3 settings that the upload provider
 * (config/plugins.ts), the admin's Content-Security-Policy (config/middlewares.ts) and `/_ready`
 * (bootstrap/readiness.ts) read. Without `S3_BUCKET`, Strapi's local provider (public/uploads).
 */
import { HeadBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export type MediaStorage = {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO, moto, R2…); unset, AWS's own endpoint for the region. */
  endpoint?: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Objects are private and every URL the cms hands out is signed for `signedUrlSeconds`. */
  private: boolean;
  signedUrlSeconds: number;
  /** Files' public base URL (a CDN in front of the bucket): their `url` is this plus the key. */
  cdnUrl?: string;
};

/**
 * How long an upload or delete waits for S3 before the request fails (and answers 503): a connection
 * within 2 s, then no more than 10 s without a byte either way (a slow upload that moves is fine).
 */
const CONNECT_TIMEOUT_MS = 2_000;
const IDLE_TIMEOUT_MS = 10_000;

const flag = (env: NodeJS.ProcessEnv, name: string, fallback: boolean) => {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, not "${env[name]}"`);
};

const httpUrl = (env: NodeJS.ProcessEnv, name: string) => {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) URL, not "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, not "${raw}"`);
  return raw.replace(/\/+$/, '');
};

/** The S3 settings, or null when uploads stay on local disk. A setting that cannot work stops the start, naming it. */
export function mediaStorage(env: NodeJS.ProcessEnv = process.env): MediaStorage | null {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) return null;
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither (the AWS default chain: an IAM role)');
  const signedUrlSeconds = Number(env.S3_SIGNED_URL_SECONDS?.trim() || 900);
  if (!Number.isSafeInteger(signedUrlSeconds) || signedUrlSeconds < 1 || signedUrlSeconds > 604_800) {
    throw new Error(`S3_SIGNED_URL_SECONDS must be a whole number of seconds from 1 to 604800, not "${env.S3_SIGNED_URL_SECONDS}"`);
  }
  const storage: MediaStorage = {
    bucket,
    region: env.S3_REGION?.trim() || 'us-east-1',
    endpoint: httpUrl(env, 'S3_ENDPOINT'),
    forcePathStyle: flag(env, 'S3_FORCE_PATH_STYLE', false),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    private: flag(env, 'S3_PRIVATE', false),
    signedUrlSeconds,
    cdnUrl: httpUrl(env, 'S3_CDN_URL'),
  };
  // The provider hands out a CDN's URL as it is, never signed: a private bucket would leak or break.
  if (storage.private && storage.cdnUrl) throw new Error('S3_PRIVATE=true signs links to the bucket itself; S3_CDN_URL would hand out unsigned ones: set one of them');
  return storage;
}

/** The AWS SDK client settings (shared by the upload provider and the readiness probe). */
export function s3ClientConfig(storage: MediaStorage): S3ClientConfig {
  return {
    region: storage.region,
    ...(storage.endpoint ? { endpoint: storage.endpoint } : {}),
    forcePathStyle: storage.forcePathStyle,
    ...(storage.credentials ? { credentials: storage.credentials } : {}),
    // A stopped, unreachable or frozen S3 fails the request within seconds (answered 503). Without
    // throwOnRequestTimeout the SDK's handler only logs a warning and the request waits for ever.
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: IDLE_TIMEOUT_MS, throwOnRequestTimeout: true },
    maxAttempts: 2,
  };
}

/**
 * The upload plugin's configuration: `@strapi/provider-upload-aws-s3` on the bucket, or nothing
 * (Strapi's local provider). Public objects get a `public-read` ACL unless a CDN (or a bucket policy
 * behind it) serves them: buckets made since 2023 refuse ACLs, and a CDN reads with its own identity.
 */
export function uploadProviderConfig(storage = mediaStorage()) {
  if (!storage) return {};
  const ACL = storage.private ? 'private' : storage.cdnUrl ? undefined : 'public-read';
  return {
    provider: 'aws-s3',
    providerOptions: {
      ...(storage.cdnUrl ? { baseUrl: storage.cdnUrl } : {}),
      s3Options: {
        ...s3ClientConfig(storage),
        params: { Bucket: storage.bucket, ACL, signedUrlExpires: storage.signedUrlSeconds },
      },
    },
  };
}

/**
 * Origins the files are read from, for the admin's CSP (the Media Library shows them): the CDN, or
 * the bucket's own address (path style: the endpoint; else the bucket's virtual host).
 */
export function mediaOrigins(storage = mediaStorage()): string[] {
  if (!storage) return [];
  if (storage.cdnUrl) return [new URL(storage.cdnUrl).origin];
  if (storage.endpoint) {
    const endpoint = new URL(storage.endpoint);
    return storage.forcePathStyle ? [endpoint.origin] : [`${endpoint.protocol}//${storage.bucket}.${endpoint.host}`];
  }
  return [`https://${storage.bucket}.s3.${storage.region}.amazonaws.com`, `https://${storage.bucket}.s3.amazonaws.com`];
}

/** A cheap question S3 answers only while the bucket is there and reachable: HeadBucket, no retries. */
export function bucketProbe(storage: MediaStorage, timeoutMs: number) {
  const client = new S3Client({
    ...s3ClientConfig(storage),
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    maxAttempts: 1,
  });
  return () => client.send(new HeadBucketCommand({ Bucket: storage.bucket }));
}
