/**
 * Uploads in S3 (issue 12, "S3, for real"), through `@strapi/provider-upload-aws-s3` 5.52.3 and
 * `@strapi/upload` 5.54, against a real S3 server (moto_server):
 *
 * - the shared test app runs on S3 for the whole run, a private bucket read through a CDN base URL
 *   (cms/test/global-setup.ts, cms/test/cdn.ts): uploads from the admin and the content API land in the bucket, are
 *   served from the CDN URL, are replaced in place and deleted with the object;
 * - a cms process of this file's own on a private bucket of its own S3 server: every URL it hands out
 *   is signed and serves the file; with the S3 server stopped or frozen, uploads answer 503 with
 *   Retry-After and `/_ready` names S3; both recover once S3 is back.
 */
import { DeleteObjectCommand, GetObjectAclCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { startCms, type CmsProcess } from '../../scripts/lib/cms-process';
import { freePort } from '../../scripts/lib/ports';
import { startS3Server, type S3Server } from '../../scripts/lib/s3-server';
import { mediaStorage, s3ClientConfig, type MediaStorage } from '../src/lib/media-storage';
import { adminToken, createAdminUser } from '../test/admin';
import { apiToken, bootStrapi, http } from '../test/strapi';

const RUN = Date.now().toString(36);
const SLOW = 300_000;
const UPLOAD_PERMISSIONS = ['plugin::upload.content-api.upload', 'plugin::upload.content-api.destroy', 'plugin::upload.content-api.findOne'];

type Headers = Record<string, string>;
type UploadedFile = { id: number; url: string; hash: string; ext: string; mime: string; isUrlSigned?: boolean; formats?: Record<string, { url: string }> | null };

const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });

let pictures = 0;
/**
 * A PNG big enough for Strapi to make a thumbnail, of one colour of its own (Strapi re-encodes what
 * it stores, so a picture is recognised by its colour, not its bytes).
 */
async function picture() {
  pictures += 1;
  const colour = [(pictures * 40) % 256, 90, 160];
  const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } }).png().toBuffer();
  return { png, colour, filename: `stage-${RUN}-${pictures}.png` };
}

/** The colour of a served picture's first pixel. */
async function colourOf(bytes: Buffer) {
  const { data } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [...data.subarray(0, 3)];
}

const firstFile = (body: unknown) => [body].flat()[0] as UploadedFile;

/** Every URL of a file: the file and each of its formats (thumbnail…). */
const urlsOf = (file: UploadedFile) => [file.url, ...Object.values(file.formats ?? {}).map((format) => format.url)];

async function keysIn(client: S3Client, bucket: string, containing: string) {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key as string).filter((key) => key.includes(containing)).sort();
}

async function fetchBytes(url: string) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Polls until `check` passes, or fails with its last error. */
async function eventually<T>(check: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('uploads in S3, through the shared app (a public bucket behind a CDN base URL)', () => {
  let strapi: Core.Strapi;
  let storage: MediaStorage;
  let client: S3Client;
  const callers: Record<'admin' | 'token', Headers> = {} as never;

  beforeAll(async () => {
    strapi = await bootStrapi();
    storage = mediaStorage() as MediaStorage;
    expect(storage, 'the test run sets S3_BUCKET (cms/test/global-setup.ts)').toBeTruthy();
    client = new S3Client(s3ClientConfig(storage));
    callers.admin = bearer(await adminToken(await createAdminUser(strapi)));
    callers.token = bearer(await apiToken(strapi, 'custom', UPLOAD_PERMISSIONS));
  });

  afterAll(() => client?.destroy());

  it('puts admin and content-API uploads in the bucket, serves them from the CDN URL, replaces in place and deletes the objects', async () => {
    for (const [label, route, headers, remove] of [
      ['admin', '/upload', callers.admin, (id: number) => `/upload/files/${id}`],
      ['content API', '/api/upload', callers.token, (id: number) => `/api/upload/files/${id}`],
    ] as const) {
      const { png, colour, filename } = await picture();
      const res = await (await http()).post(route).set(headers).attach('files', png, { filename, contentType: 'image/png' });
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(201);
      const file = firstFile(res.body);
      expect(file.formats?.thumbnail, `${label}: a thumbnail was made`).toBeTruthy();

      // In the bucket, under the file's hash: the file and its thumbnail.
      const keys = await keysIn(client, storage.bucket, file.hash);
      expect(keys, label).toEqual([`${file.hash}${file.ext}`, `thumbnail_${file.hash}${file.ext}`].sort());
      // Every URL is the CDN's and serves the picture; the bucket itself serves no one anonymously.
      for (const url of urlsOf(file)) {
        expect(url.startsWith(`${storage.cdnUrl}/`), `${label}: ${url}`).toBe(true);
        const served = await fetchBytes(url);
        expect(served.status, url).toBe(200);
        expect(served.type).toMatch(/^image\/png/);
        expect(await colourOf(served.bytes), url).toEqual(colour);
      }
      expect((await fetchBytes(`${storage.endpoint}/${storage.bucket}/${keys[0]}`)).status, 'the bucket read directly').toBe(403);

      // Replaced: the same URL serves the new picture, and no object is left over.
      const next = await picture();
      const replaced = await (await http())
        .post(`${route}?id=${file.id}`)
        .set(headers)
        .attach('files', next.png, { filename: next.filename, contentType: 'image/png' });
      expect(replaced.status, `${label} replace: ${JSON.stringify(replaced.body)}`).toBeLessThan(300);
      expect(firstFile(replaced.body).url).toBe(file.url);
      expect(await colourOf((await fetchBytes(file.url)).bytes), `${label}: the replacement is served`).toEqual(next.colour);
      expect(await keysIn(client, storage.bucket, file.hash)).toEqual(keys);

      // Deleted: the objects go with the file.
      const deleted = await (await http()).delete(remove(file.id)).set(headers);
      expect(deleted.status, `${label} delete`).toBe(200);
      expect(await keysIn(client, storage.bucket, file.hash), `${label}: objects left after delete`).toEqual([]);
    }
  });

  it('shows a published artist’s avatar to the public at its CDN URL', async () => {
    const { png, colour, filename } = await picture();
    const res = await (await http()).post('/api/upload').set(callers.token).attach('files', png, { filename, contentType: 'image/png' });
    expect(res.status).toBe(201);
    const avatar = firstFile(res.body);
    const slug = `s3-artist-${RUN}`;
    await strapi.documents('api::artist.artist').create({ data: { name: `S3 artist ${RUN}`, slug, avatar: avatar.id } as never, status: 'published' });

    const read = await (await http()).get(`/api/artists?filters[slug][$eq]=${slug}&populate=avatar`).expect(200);
    const url = read.body.data[0]?.avatar?.url as string;
    expect(url).toBe(avatar.url);
    expect(url.startsWith(`${storage.cdnUrl}/`)).toBe(true);
    expect(await colourOf((await fetchBytes(url)).bytes)).toEqual(colour);
  });

  it('reports the bucket in /_ready, and lets the admin show pictures from the CDN (its CSP)', async () => {
    const ready = await (await http()).get('/_ready').expect(200);
    expect(ready.body.s3).toMatchObject({ ok: true });
    const csp = ready.headers['content-security-policy'] as string;
    for (const directive of ['img-src', 'media-src']) {
      expect(csp.split(';').find((part) => part.trim().startsWith(directive)), csp).toContain(new URL(storage.cdnUrl as string).origin);
    }
  });
});

describe('uploads in a private S3 bucket, and S3 outages (a cms process of its own)', () => {
  let strapi: Core.Strapi;
  let s3: S3Server;
  let cms: CmsProcess;
  let client: S3Client;
  const bucket = `ovation-private-${RUN}`;
  const callers: Record<'admin' | 'token', Headers> = {} as never;

  beforeAll(async () => {
    strapi = await bootStrapi();
    s3 = await startS3Server();
    await s3.createBucket(bucket);
    // The shared run's CDN base URL is not this bucket's: a private bucket hands out signed URLs only.
    cms = await startCms({ ...s3.env(bucket), S3_PRIVATE: 'true', S3_CDN_URL: '', S3_SIGNED_URL_SECONDS: '300' }, await freePort());
    const storage = mediaStorage({ ...s3.env(bucket), S3_PRIVATE: 'true' }) as MediaStorage;
    client = new S3Client(s3ClientConfig(storage));
    // Users and tokens live in the shared database; this process checks them like any other.
    const admin = await createAdminUser(strapi);
    const login = await request(cms.url).post('/admin/login').send({ email: admin.email, password: admin.password });
    expect(login.status).toBe(200);
    callers.admin = bearer(login.body.data.token);
    callers.token = bearer(await apiToken(strapi, 'custom', UPLOAD_PERMISSIONS));
  }, SLOW);

  afterAll(async () => {
    client?.destroy();
    await cms?.stop();
    await s3?.stop();
  });

  const upload = async (route: string, headers: Headers) => {
    const { png, colour, filename } = await picture();
    const res = await request(cms.url).post(route).set(headers).attach('files', png, { filename, contentType: 'image/png' });
    return { res, colour };
  };

  it('stores private objects and hands out signed URLs that serve them, to the admin and the content API', async () => {
    for (const [route, headers, readBack] of [
      ['/upload', callers.admin, (id: number) => `/upload/files/${id}`],
      ['/api/upload', callers.token, (id: number) => `/api/upload/files/${id}`],
    ] as const) {
      const { res, colour } = await upload(route, headers);
      expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(201);
      const file = firstFile(res.body);
      const key = `${file.hash}${file.ext}`;
      expect(await keysIn(client, bucket, file.hash)).toEqual([key, `thumbnail_${key}`].sort());
      // Nobody but the bucket's owner may read it: the URL without its signature is refused.
      expect((await fetchBytes(file.url.split('?')[0])).status).toBe(403);
      const acl = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
      expect((acl.Grants ?? []).filter((grant) => grant.Grantee?.URI?.includes('AllUsers'))).toEqual([]);

      for (const found of [file, firstFile((await request(cms.url).get(readBack(file.id)).set(headers).expect(200)).body)]) {
        expect(found.isUrlSigned, route).toBe(true);
        for (const url of urlsOf(found)) {
          expect(new URL(url).searchParams.get('X-Amz-Signature'), url).toBeTruthy();
          expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
          expect((await fetchBytes(url)).status, url).toBe(200);
        }
        expect(await colourOf((await fetchBytes(found.url)).bytes)).toEqual(colour);
      }

      // The admin's Media Library may show the signed pictures: the bucket's origin is in its CSP.
      const csp = res.headers['content-security-policy'] as string;
      expect(csp.split(';').find((part) => part.trim().startsWith('img-src')), csp).toContain(s3.endpoint);

      const deleted = await request(cms.url).delete(readBack(file.id)).set(headers);
      expect(deleted.status).toBe(200);
      expect(await keysIn(client, bucket, file.hash)).toEqual([]);
    }
  });

  it('signs a published artist’s avatar for the public too, over REST and GraphQL', async () => {
    const { res, colour } = await upload('/api/upload', callers.token);
    expect(res.status).toBe(201);
    const avatar = firstFile(res.body);
    const slug = `private-artist-${RUN}`;
    await strapi.documents('api::artist.artist').create({ data: { name: `Private artist ${RUN}`, slug, avatar: avatar.id } as never, status: 'published' });

    const rest = await request(cms.url).get(`/api/artists?filters[slug][$eq]=${slug}&populate=avatar`).expect(200);
    const graphql = await request(cms.url)
      .post('/graphql')
      .send({ query: `{ artists(filters: { slug: { eq: "${slug}" } }) { avatar { url } } }` })
      .expect(200);
    for (const [label, url] of [
      ['REST', rest.body.data[0]?.avatar?.url],
      ['GraphQL', graphql.body.data?.artists?.[0]?.avatar?.url],
    ] as [string, string][]) {
      expect(new URL(url).searchParams.get('X-Amz-Signature'), `${label}: ${url}`).toBeTruthy();
      expect(await colourOf((await fetchBytes(url)).bytes), label).toEqual(colour);
    }
  });

  it(
    'answers uploads 503 with Retry-After and /_ready 503 naming S3 while S3 is away, and recovers',
    async () => {
      expect((await request(cms.url).get('/_ready')).body.s3).toMatchObject({ ok: true });
      await s3.stop();

      for (const [route, headers] of [
        ['/api/upload', callers.token],
        ['/upload', callers.admin],
      ] as const) {
        const started = Date.now();
        const { res } = await upload(route, headers);
        expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(503);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.body).toMatchObject({ data: null, error: { status: 503, name: expect.any(String), message: expect.stringMatching(/storage/i) } });
        expect(Date.now() - started, 'answered within seconds').toBeLessThan(15_000);
      }
      const ready = await request(cms.url).get('/_ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', s3: { ok: false }, database: { ok: true }, redis: { ok: true } });
      expect(ready.body.s3.error).toBeTruthy();

      // Back (moto restarts empty, as a new bucket would be): ready again, and uploads are taken.
      await s3.start();
      await s3.createBucket(bucket);
      await eventually(async () => expect((await request(cms.url).get('/_ready')).status).toBe(200));
      const { res } = await upload('/api/upload', callers.token);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const file = firstFile(res.body);
      expect((await fetchBytes(file.url)).status).toBe(200);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${file.hash}${file.ext}` }));
    },
    SLOW
  );

  it(
    'answers 503 rather than hanging while S3 takes connections and never answers, and /_ready within its timeout',
    async () => {
      s3.pause();
      try {
        const readyStarted = Date.now();
        const ready = await request(cms.url).get('/_ready');
        expect(ready.status).toBe(503);
        expect(ready.body.s3).toMatchObject({ ok: false });
        expect(Date.now() - readyStarted, '/_ready answered within its 2 s budget').toBeLessThan(3_000);

        const started = Date.now();
        const { res } = await upload('/api/upload', callers.token);
        expect(res.status, JSON.stringify(res.body)).toBe(503);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        // Two attempts of at most 10 s without an answer each.
        expect(Date.now() - started).toBeLessThan(30_000);
      } finally {
        s3.resume();
      }
      await eventually(async () => expect((await request(cms.url).get('/_ready')).status).toBe(200));
    },
    SLOW
  );
});
