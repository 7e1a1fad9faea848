/**
 * Uploads cost nothing until they are allowed (issue 17, "Uploads parsed before authorisation"): a
 * multipart body is read only for a caller the route would let upload; anything else is refused
 * before a byte of it is read or written to disk, and the connection is closed rather than drained.
 * What is read is capped by configuration: 413 for a declared length over the cap before reading,
 * for a chunked body at the cap, for a field or a file over its own cap; their temporary files go.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { adminToken, createAdminUser } from '../test/admin';
import { sampleRss, sendMultipart, watchNewFiles, type MultipartAnswer, type MultipartRequest } from '../test/multipart';
import { apiToken, bootStrapi, cmsUrl, http } from '../test/strapi';
import { uploadLimits } from '../src/lib/upload-limits';

const MiB = 1024 * 1024;
const RUN = Date.now().toString(36);
// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
// Long enough that a refusal after reading would be obvious; the client waits this long for an answer.
const HOLD = { holdAfter: 64 * 1024, holdMs: 5000 };
const SLOW = 300_000;

type Headers = Record<string, string>;
const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });

/** Polls until `check` passes (files are removed just after the answer), or fails with its last error. */
async function eventually(check: () => void, ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

describe('uploads', () => {
  let strapi: Core.Strapi;
  let baseUrl: string;
  let tmpDir: string;
  const limits = uploadLimits();
  const callers: Record<'admin' | 'adminWithoutRights' | 'uploadToken' | 'readOnlyToken' | 'member' | 'uploader', Headers> = {} as never;
  const uploadedIds: number[] = [];

  /** A users-permissions account in a role, signed in through the login route. */
  async function signedIn(roleId: number, name: string): Promise<Headers> {
    const email = `${name}-${RUN}@ovation.test`;
    const password = `Test-${RUN}-Passw0rd`;
    await strapi
      .plugin('users-permissions')
      .service('user')
      .add({ username: `${name}-${RUN}`, email, password, provider: 'local', confirmed: true, blocked: false, role: roleId });
    const login = await (await http()).post('/api/auth/local').send({ identifier: email, password }).expect(200);
    return bearer(login.body.jwt);
  }

  beforeAll(async () => {
    strapi = await bootStrapi();
    baseUrl = await cmsUrl();
    // Where formidable writes what it reads (strapi::body's uploadDir, else its default).
    const body = (strapi.config.get('middlewares') as { name?: string; config?: { formidable?: { uploadDir?: string } } }[]).find(
      (entry) => entry?.name === 'strapi::body'
    );
    tmpDir = body?.config?.formidable?.uploadDir ?? os.tmpdir();

    callers.admin = bearer(await adminToken(await createAdminUser(strapi)));
    // An admin whose role grants nothing: signed in, but may neither upload nor change the project's logos.
    const bare = await strapi.service('admin::role').create({ name: `No rights ${RUN}`, description: 'Grants nothing' });
    callers.adminWithoutRights = bearer(await adminToken(await createAdminUser(strapi, bare.code)));
    callers.uploadToken = bearer(await apiToken(strapi, 'custom', ['plugin::upload.content-api.upload']));
    callers.readOnlyToken = bearer(await apiToken(strapi, 'read-only'));

    const roles = strapi.db.query('plugin::users-permissions.role');
    const authenticated = await roles.findOne({ where: { type: 'authenticated' } });
    callers.member = await signedIn(authenticated.id, 'member');
    const uploaders = await roles.create({ data: { name: `Uploaders ${RUN}`, description: 'May upload', type: `uploaders-${RUN}` } });
    await strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'plugin::upload.content-api.upload', role: uploaders.id } });
    callers.uploader = await signedIn(uploaders.id, 'uploader');
  });

  afterAll(async () => {
    const upload = strapi.plugin('upload').service('upload');
    for (const id of uploadedIds) {
      const file = await upload.findOne(id);
      if (file) await upload.remove(file);
    }
  });

  /** Which of these temporary files are still there. */
  const leftOver = (names: string[]) => names.filter((name) => fs.existsSync(path.join(tmpDir, name)));

  /** Sends one multipart request while watching the temporary directory. */
  async function send(request: MultipartRequest) {
    const watch = watchNewFiles(tmpDir);
    const answer = await sendMultipart(baseUrl, request);
    const files = watch.stop();
    // Anything a request created (before the fix, a 201 here) is cleaned up by afterAll.
    if (answer.status === 201) uploadedIds.push(...[answer.body].flat().map((file) => (file as { id: number }).id));
    return { answer, files };
  }

  /** Refused before the body was read: answered while the client held back, nothing written, connection closed. */
  function expectRefusedUnread(answer: MultipartAnswer, files: { created: string[] }, status: number, label: string) {
    expect(answer.status, label).toBe(status);
    expect(answer.body.error, label).toMatchObject({ status });
    expect(answer.sentBytes, `${label}: body bytes sent before the answer`).toBeLessThanOrEqual(HOLD.holdAfter + 64 * 1024);
    expect(answer.ms, label).toBeLessThan(HOLD.holdMs);
    expect(answer.headers.connection, label).toBe('close');
    expect(files.created, `${label}: temporary files`).toEqual([]);
  }

  it(
    'refuses a 100 MB upload from anyone not allowed to upload with 401 or 403, before reading it',
    async () => {
      const cases: [string, string, Headers, number, string?][] = [
        ['nobody', '/upload', {}, 401],
        ['nobody', '/upload/files', {}, 401],
        ['nobody', '/upload/files/1/replace', {}, 401],
        ['nobody', '/upload/files/1', {}, 401, 'PUT'],
        ['nobody', '/admin/project-settings', {}, 401],
        // The public role is a caller of the content API; it has no upload permission.
        ['nobody', '/api/upload', {}, 403],
        ['a forged token', '/upload', bearer('forged'), 401],
        ['a forged token', '/api/upload', bearer('forged'), 401],
        ['an admin session', '/api/upload', callers.admin, 401],
        ['a read-only API token', '/api/upload', callers.readOnlyToken, 403],
        ['a user without upload permission', '/api/upload', callers.member, 403],
        ['an admin without upload rights', '/upload', callers.adminWithoutRights, 403],
        ['an admin without upload rights', '/upload/files', callers.adminWithoutRights, 403],
        ['an admin without settings rights', '/admin/project-settings', callers.adminWithoutRights, 403],
      ];
      for (const [who, route, headers, status, method] of cases) {
        const { answer, files } = await send({ path: route, method, headers, fileBytes: 100 * MiB, ...HOLD });
        expectRefusedUnread(answer, files, status, `${who} ${method ?? 'POST'} ${route}`);
      }
    },
    SLOW
  );

  it(
    'answers multipart sent where no route takes it with 415, before reading it',
    async () => {
      const fullAccess = bearer(await apiToken(strapi, 'full-access'));
      for (const [route, headers] of [
        ['/api/events', fullAccess],
        ['/api/events', {}],
        ['/graphql', {}],
        ['/api/sms-voting/votes', {}],
        ['/nothing-here', {}],
      ] as [string, Headers][]) {
        const { answer, files } = await send({ path: route, headers, fileBytes: 100 * MiB, ...HOLD });
        expectRefusedUnread(answer, files, 415, `POST ${route}`);
      }
    },
    SLOW
  );

  it(
    'answers a declared length over the cap with 413 before reading, even for an admin',
    async () => {
      for (const [route, headers] of [
        ['/upload', callers.admin],
        ['/api/upload', callers.uploadToken],
      ] as [string, Headers][]) {
        const { answer, files } = await send({ path: route, headers, fileBytes: limits.maxBodyBytes + 1, ...HOLD });
        expectRefusedUnread(answer, files, 413, `POST ${route}`);
        expect(answer.body.error).toMatchObject({ name: 'PayloadTooLargeError' });
      }
    },
    SLOW
  );

  it(
    'cuts an allowed chunked upload off at the cap with 413, not 500, and removes what it wrote',
    async () => {
      const rss = sampleRss();
      const { answer, files } = await send({ path: '/upload', headers: callers.admin, fileBytes: limits.maxBodyBytes + 16 * MiB, declareLength: false });
      const memory = rss.stop();
      expect(answer.status).toBe(413);
      expect(answer.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
      expect(answer.headers.connection).toBe('close');
      // Written up to the cap, no further, and gone once answered.
      expect(files.peakBytes).toBeLessThanOrEqual(limits.maxBodyBytes + MiB);
      await eventually(() => expect(leftOver(files.created)).toEqual([]));
      expect(memory.growthBytes).toBeLessThan(64 * MiB);
    },
    SLOW
  );

  it(
    'answers an allowed upload with a 50 MB field 413, not 500',
    async () => {
      const { answer } = await send({ path: '/upload', headers: callers.admin, fieldBytes: 50_000_000, fileBytes: PNG.length });
      expect(answer.status).toBe(413);
      expect(answer.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
      expect(answer.body.error?.message).toMatch(/field/i);
      expect(answer.headers.connection).toBe('close');
    },
    SLOW
  );

  it(
    'refuses a file over the per-file cap with 413 and removes its temporary file',
    async () => {
      const { answer, files } = await send({
        path: '/upload',
        headers: callers.admin,
        fileBytes: limits.maxFileBytes + MiB,
        fileName: 'notes.txt',
        fileType: 'text/plain',
      });
      expect(answer.status).toBe(413);
      expect(answer.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
      // Read in full (within the body's cap), so the connection may serve another request.
      expect(answer.headers.connection).toBe('keep-alive');
      expect(files.created.length).toBeGreaterThan(0);
      await eventually(() => expect(leftOver(files.created)).toEqual([]));
    },
    SLOW
  );

  it(
    'keeps memory and disk flat while ten 100 MB unauthenticated uploads arrive at once',
    async () => {
      const watch = watchNewFiles(tmpDir);
      const rss = sampleRss();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => sendMultipart(baseUrl, { path: i % 2 ? '/api/upload' : '/upload', fileBytes: 100 * MiB }))
      );
      const memory = rss.stop();
      const files = watch.stop();
      for (const answer of answers) {
        expect([401, 403]).toContain(answer.status);
        expect(answer.sentBytes).toBeLessThan(16 * MiB);
      }
      expect(files.created).toEqual([]);
      expect(memory.growthBytes).toBeLessThan(32 * MiB);
    },
    SLOW
  );

  it('still takes a small PNG from an admin, a permitted API token and a permitted user: 201 and the file', async () => {
    const taken: number[] = [];
    for (const [route, headers] of [
      ['/upload', callers.admin],
      // The new Media Library's upload: one file per request, answered with that file.
      ['/upload/files', callers.admin],
      ['/api/upload', callers.uploadToken],
      ['/api/upload', callers.uploader],
    ] as [string, Headers][]) {
      const watch = watchNewFiles(tmpDir);
      const res = await (await http()).post(route).set(headers).attach('files', PNG, { filename: `dot-${RUN}.png`, contentType: 'image/png' });
      expect(res.status, route).toBe(201);
      const [file] = [res.body].flat() as { id: number; url: string; mime: string; size: number }[];
      uploadedIds.push(file.id);
      taken.push(file.id);
      expect(file).toMatchObject({ mime: 'image/png', name: `dot-${RUN}.png` });
      // Served from the bucket (tests run on S3, cms/test/global-setup.ts), or by the cms from public/uploads.
      const served = await fetch(new URL(file.url, baseUrl));
      expect(served.status).toBe(200);
      // The same picture (Strapi may re-encode it smaller): a PNG.
      expect(served.headers.get('content-type')).toMatch(/^image\/png/);
      expect(Buffer.from(await served.arrayBuffer()).subarray(0, 8)).toEqual(PNG.subarray(0, 8));
      // Its temporary copy is removed once answered.
      const files = watch.stop();
      await eventually(() => expect(leftOver(files.created)).toEqual([]));
    }

    // The admin's Media Library edits a file's details with a multipart body too.
    const [id] = taken;
    const edited = await (await http())
      .put(`/upload/files/${id}`)
      .set(callers.admin)
      .field('fileInfo', JSON.stringify({ alternativeText: 'A dot' }));
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id, alternativeText: 'A dot' });
  });
});
