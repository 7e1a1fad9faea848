/**
 * The audit trail against the real app: each origin (admin session, REST with an API token,
 * GraphQL, a worker's job, a script) leaves one entry per Document Service action with its actor,
 * origin and diff, in the change's own transaction; the chain holds under 50 concurrent writers,
 * refuses UPDATE and DELETE, and `audit:verify` names an edited, deleted, inserted or moved entry.
 */
import { spawn } from 'child_process';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { nextPhoneNumber } from '../../../../../cms/test/phones';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { asJob } from '../../../../../workers/src/runtime/audit';
import type { ActorsService } from '../services/actors';
import type { LedgerService } from '../services/ledger';
import type { EntryRow } from '../utils/entry';
import { ENTRIES_TABLE } from '../utils/schema';

const ARTIST = 'api::artist.artist';
const RUN = Date.now().toString(36);
let sequence = 0;
/** A name and slug no other artist of this run has. */
const unique = (label: string) => {
  sequence += 1;
  const name = `Audit ${label} ${RUN} ${sequence}`;
  return { name, slug: name.toLowerCase().replace(/\W+/g, '-') };
};

const REPO_DIR = path.resolve(__dirname, '..', '..', '..', '..', '..');

describe('audit trail', () => {
  let strapi: Core.Strapi;
  let ledger: LedgerService;
  let actors: ActorsService;
  const isPostgres = () => strapi.db.dialect.client === 'postgres';

  const entriesOf = async (documentId: string) =>
    (await strapi.db.connection(ENTRIES_TABLE).where({ document_id: documentId }).orderBy('seq', 'asc')) as EntryRow[];
  const diffOf = (row: EntryRow) => JSON.parse(row.diff) as { before: Record<string, Record<string, unknown>> | null; after: Record<string, Record<string, unknown>> | null };

  /** Runs `tamper` with the append-only trigger out of the way, as someone with the database owner's rights would. */
  async function withoutTrigger(tamper: (knex: Core.Strapi['db']['connection']) => Promise<void>) {
    const knex = strapi.db.connection;
    if (isPostgres()) {
      await knex.raw(`ALTER TABLE ${ENTRIES_TABLE} DISABLE TRIGGER audit_trail_entries_append_only`);
      try {
        await tamper(knex);
      } finally {
        await knex.raw(`ALTER TABLE ${ENTRIES_TABLE} ENABLE TRIGGER audit_trail_entries_append_only`);
      }
    } else {
      for (const event of ['update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS audit_trail_entries_append_only_${event}`);
      try {
        await tamper(knex);
      } finally {
        await ledger.install();
      }
    }
  }

  /** `npm run audit:verify` in a process of its own, on this run's database. */
  function runVerify(): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('npm', ['run', '--silent', 'audit:verify'], { cwd: REPO_DIR, env: { ...process.env, LOG_LEVEL: 'error' } });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, output }));
    });
  }

  beforeAll(async () => {
    strapi = await bootStrapi();
    ledger = strapi.plugin('audit-trail').service('ledger') as LedgerService;
    actors = strapi.plugin('audit-trail').service('actors') as ActorsService;
  });

  it('records REST writes with an API token: create, update, delete, each once, with the token and the diff', async () => {
    const token = await strapi.service('admin::api-token').create({ name: `audit-rest-${RUN}`, type: 'full-access', lifespan: null });
    const auth = { Authorization: `Bearer ${token.accessKey}`, 'User-Agent': 'audit-test/1.0', 'X-Request-Id': `req-${RUN}` };
    const artist = unique('rest');
    const created = await (await http()).post('/api/artists').set(auth).send({ data: artist }).expect(201);
    const documentId = created.body.data.documentId as string;
    await (await http()).put(`/api/artists/${documentId}`).set(auth).send({ data: { genre: 'Cumbia' } }).expect(200);
    await (await http()).delete(`/api/artists/${documentId}`).set(auth).expect(204);

    const rows = await entriesOf(documentId);
    expect(rows.map((row) => row.action)).toEqual(['create', 'update', 'delete']);
    for (const row of rows) {
      expect(row).toMatchObject({
        actor_kind: 'api-token',
        actor_id: String(token.id),
        actor_name: token.name,
        origin: 'content-api',
        user_agent: 'audit-test/1.0',
        request_id: `req-${RUN}`,
        content_type: ARTIST,
        locale: 'en',
        outcome: 'success',
      });
      expect(row.ip).toBeTruthy();
    }
    const [create, update, remove] = rows.map(diffOf);
    expect(create.before).toBeNull();
    expect(create.after?.published).toMatchObject({ name: artist.name, slug: artist.slug });
    expect(update.before?.draft).toEqual({ genre: null });
    expect(update.after?.draft).toEqual({ genre: 'Cumbia' });
    expect(remove.before?.published).toMatchObject({ name: artist.name, genre: 'Cumbia' });
    expect(remove.after).toBeNull();
  });

  it('records admin writes with the session: create, update, publish, unpublish, discard, as that admin (no email)', async () => {
    const admin = await createAdminUser(strapi);
    const session = { Authorization: `Bearer ${await adminToken(admin)}` };
    const base = `/content-manager/collection-types/${ARTIST}`;
    const artist = unique('admin');
    const created = await (await http()).post(base).set(session).send(artist).expect(201);
    const documentId = created.body.data.documentId as string;
    await (await http()).put(`${base}/${documentId}`).set(session).send({ ...artist, bio: 'First bio' }).expect(200);
    await (await http()).post(`${base}/${documentId}/actions/publish`).set(session).send({ ...artist, bio: 'First bio' }).expect(200);
    await (await http()).put(`${base}/${documentId}`).set(session).send({ ...artist, bio: 'Second bio' }).expect(200);
    await (await http()).post(`${base}/${documentId}/actions/discard`).set(session).send({}).expect(200);
    await (await http()).post(`${base}/${documentId}/actions/unpublish`).set(session).send({}).expect(200);

    const rows = await entriesOf(documentId);
    // The content manager's publish saves the form first: an update (nothing changed), then the publish.
    expect(rows.map((row) => row.action)).toEqual(['create', 'update', 'update', 'publish', 'update', 'discardDraft', 'unpublish']);
    for (const row of rows) {
      expect(row).toMatchObject({ actor_kind: 'admin', actor_id: String(admin.id), origin: 'admin' });
      expect(row.actor_name).toMatch(/^Test Admin \d+$/);
      expect(JSON.stringify(row)).not.toContain(admin.email);
    }
    const diffs = rows.map(diffOf);
    expect(diffs[1]).toEqual({ before: { draft: { bio: null } }, after: { draft: { bio: 'First bio' } } });
    expect(diffs[3].before?.published).toBeUndefined();
    expect(diffs[3].after?.published).toMatchObject({ bio: 'First bio' });
    expect(diffs[4]).toEqual({ before: { draft: { bio: 'First bio' } }, after: { draft: { bio: 'Second bio' } } });
    expect(diffs[5]).toEqual({ before: { draft: { bio: 'Second bio' } }, after: { draft: { bio: 'First bio' } } });
    expect(diffs[6].before?.published).toMatchObject({ bio: 'First bio' });
    expect(diffs[6].after?.published).toBeUndefined();
  });

  it('records GraphQL writes as GraphQL, with the token', async () => {
    const token = await strapi.service('admin::api-token').create({ name: `audit-graphql-${RUN}`, type: 'full-access', lifespan: null });
    const artist = unique('graphql');
    const res = await (await http())
      .post('/graphql')
      .set({ Authorization: `Bearer ${token.accessKey}` })
      .send({ query: `mutation { createArtist(data: { name: "${artist.name}", slug: "${artist.slug}" }) { documentId } }` })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    const rows = await entriesOf(res.body.data.createArtist.documentId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'create', actor_kind: 'api-token', actor_id: String(token.id), origin: 'graphql' });
  });

  it('shows relations, media and components in the diff: linked documents by id, files by id and name, components by their fields', async () => {
    const [first, second] = await Promise.all([strapi.documents(ARTIST).create({ data: unique('linked') }), strapi.documents(ARTIST).create({ data: unique('linked') })]);
    const file = await strapi.db.query('plugin::upload.file').create({
      data: { name: `cover-${RUN}.png`, hash: `cover_${RUN}`, ext: '.png', mime: 'image/png', size: 1, url: `/uploads/cover_${RUN}.png`, provider: 'local' },
    });
    const title = `Audit relations ${RUN}`;
    const post = await strapi.documents('api::post.post').create({
      data: { title, slug: title.toLowerCase().replace(/\W+/g, '-'), artists: [first.documentId], cover: file.id } as never,
    });
    await strapi.documents('api::post.post').update({ documentId: post.documentId, data: { artists: [second.documentId, first.documentId] } as never });
    const [created, updated] = (await entriesOf(post.documentId)).map(diffOf);
    expect(created.after?.draft).toMatchObject({ title, artists: [first.documentId], cover: `#${file.id} cover-${RUN}.png`, event: null });
    // Only what changed, as ids (a relation's order means nothing, so they are sorted).
    expect(updated).toEqual({
      before: { draft: { artists: [first.documentId] } },
      after: { draft: { artists: [first.documentId, second.documentId].sort() } },
    });

    await strapi.documents(ARTIST).update({ documentId: first.documentId, data: { links: [{ platform: 'website', url: 'https://example.com/band' }] } as never });
    const links = (await entriesOf(first.documentId)).map(diffOf).pop();
    expect(links).toEqual({ before: { draft: { links: [] } }, after: { draft: { links: [{ platform: 'website', url: 'https://example.com/band' }] } } });
  });

  it('records a worker job and a script by name, with no request', async () => {
    const byJob = await asJob(strapi, 'round.notify', () => strapi.documents(ARTIST).create({ data: unique('job') }));
    const byScript = await strapi.documents(ARTIST).create({ data: unique('script') });
    const bySeed = await actors.runAs({ kind: 'script', name: 'seed' }, () => strapi.documents(ARTIST).create({ data: unique('seed') }));

    const [job] = await entriesOf(byJob.documentId);
    expect(job).toMatchObject({ action: 'create', actor_kind: 'job', actor_name: 'round.notify', origin: 'worker', ip: null, request_id: null });
    const [script] = await entriesOf(byScript.documentId);
    expect(script).toMatchObject({ action: 'create', actor_kind: 'script', origin: 'script' });
    expect(script.actor_name).toBeTruthy();
    const [seed] = await entriesOf(bySeed.documentId);
    expect(seed).toMatchObject({ actor_kind: 'script', actor_name: 'seed', origin: 'script' });
  });

  it('leaves no entry for a change whose transaction rolls back, and no gap in the sequence', async () => {
    const headBefore = await ledger.head();
    let documentId = '';
    await expect(
      strapi.db.transaction(async () => {
        documentId = (await strapi.documents(ARTIST).create({ data: unique('rolled back') })).documentId;
        throw new Error('changed my mind');
      })
    ).rejects.toThrow('changed my mind');
    expect(documentId).not.toBe('');
    expect(await entriesOf(documentId)).toEqual([]);
    expect(await ledger.head()).toEqual(headBefore);

    const next = await strapi.documents(ARTIST).create({ data: unique('after rollback') });
    const [entry] = await entriesOf(next.documentId);
    expect(Number(entry.seq)).toBe(headBefore.seq + 1);
  });

  it('records a refused change as a failure, in its own transaction, with nothing changed', async () => {
    const token = await strapi.service('admin::api-token').create({ name: `audit-refusal-${RUN}`, type: 'full-access', lifespan: null });
    const res = await (await http()).post('/api/artists').set({ Authorization: `Bearer ${token.accessKey}` }).send({ data: { genre: 'No name' } });
    expect(res.status).toBe(400);
    const refused = await strapi.db.connection(ENTRIES_TABLE).where({ actor_id: String(token.id), actor_kind: 'api-token' });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ action: 'create', outcome: 'failure', content_type: ARTIST, document_id: null, origin: 'content-api' });
    expect(JSON.parse(refused[0].error)).toMatchObject({ name: 'ValidationError' });

    // A rule of the app's (consent records are append-only) refuses a script's update.
    const documentId = `consent-${RUN}`;
    await expect(strapi.documents('api::consent-record.consent-record').update({ documentId, data: { purpose: 'x' } })).rejects.toThrow(/append-only/);
    const [rule] = await entriesOf(documentId);
    expect(rule).toMatchObject({ action: 'update', outcome: 'failure', actor_kind: 'script' });
    expect(JSON.parse(rule.error as string)).toMatchObject({ name: 'ForbiddenError' });
    expect(await ledger.verify()).toMatchObject({ ok: true });
  });

  it('fails the change with a 5xx, and makes no change, when its entry cannot be written', async () => {
    const marker = `refuse${RUN}`;
    const knex = strapi.db.connection;
    if (isPostgres()) {
      await knex.raw(
        `CREATE TRIGGER audit_test_refuse BEFORE INSERT ON ${ENTRIES_TABLE} FOR EACH ROW WHEN (NEW.diff LIKE '%${marker}%') EXECUTE FUNCTION audit_trail_refuse_change()`
      );
    } else {
      await knex.raw(
        `CREATE TRIGGER audit_test_refuse BEFORE INSERT ON ${ENTRIES_TABLE} WHEN NEW.diff LIKE '%${marker}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
      );
    }
    try {
      const token = await strapi.service('admin::api-token').create({ name: `audit-refused-${RUN}`, type: 'full-access', lifespan: null });
      const artist = unique(marker);
      const res = await (await http()).post('/api/artists').set({ Authorization: `Bearer ${token.accessKey}` }).send({ data: artist });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(await strapi.db.query(ARTIST).findMany({ where: { slug: artist.slug } })).toEqual([]);
      // Not a refusal: nothing is recorded for it (it could not be).
      expect(await strapi.db.connection(ENTRIES_TABLE).where({ actor_id: String(token.id), actor_kind: 'api-token' })).toEqual([]);
    } finally {
      await knex.raw(isPostgres() ? `DROP TRIGGER audit_test_refuse ON ${ENTRIES_TABLE}` : 'DROP TRIGGER audit_test_refuse');
    }
  });

  it('keeps one chain under 50 concurrent writers: dense sequence numbers, and it verifies', async () => {
    const headBefore = await ledger.head();
    const docs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => actors.runAs({ kind: 'script', name: `writer-${i}` }, () => strapi.documents(ARTIST).create({ data: unique('concurrent') })))
    );
    const seqs = (await strapi.db.connection(ENTRIES_TABLE).whereIn('document_id', docs.map((doc) => doc.documentId)).select('seq'))
      .map((row: { seq: number | string }) => Number(row.seq))
      .sort((a: number, b: number) => a - b);
    expect(seqs).toHaveLength(50);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => headBefore.seq + 1 + i));
    const report = await ledger.verify();
    expect(report).toMatchObject({ ok: true });
    expect(report.verified).toBeGreaterThanOrEqual(headBefore.seq + 50);
  });

  it("refuses UPDATE and DELETE of entries from the app's own connection", async () => {
    const { seq } = await ledger.head();
    const knex = strapi.db.connection;
    await expect(knex(ENTRIES_TABLE).where({ seq }).update({ actor_name: 'mallory' })).rejects.toThrow(/append-only/);
    await expect(knex(ENTRIES_TABLE).where({ seq }).delete()).rejects.toThrow(/append-only/);
    if (isPostgres()) await expect(knex.raw(`TRUNCATE ${ENTRIES_TABLE}`)).rejects.toThrow(/append-only/);
  });

  it('never stores a known phone number, password, email or token', async () => {
    const phone = nextPhoneNumber();
    const password = `Secret-${RUN}-Pw9`;
    const email = `audit-${RUN}@ovation.test`;
    const token = `tok_${RUN}_supersecret`;
    await strapi.service('api::fan.fan').upsertByPhone(phone, { language: 'en' });
    await strapi.plugin('users-permissions').service('user').add({ username: `audit-${RUN}`, email, password, provider: 'local', confirmed: true, blocked: false });
    await strapi.documents('plugin::ops.job').create({
      data: { name: 'message.send', idempotency_key: `audit-${RUN}`, payload: { token, phone, contact: email }, due_at: new Date() },
    });
    await strapi.documents(ARTIST).create({ data: { ...unique('contact'), bio: `Bookings: ${email} or ${phone}` } });

    const everything = JSON.stringify(await strapi.db.connection(ENTRIES_TABLE).select('*'));
    expect(everything).toContain('plugin::users-permissions.user');
    expect(everything).toContain('api::fan.fan');
    for (const secret of [phone, phone.slice(1), password, email, token]) expect(everything).not.toContain(secret);
  });

  it('names the entry that was edited, deleted, inserted or moved, in-process and with npm run audit:verify', async () => {
    // Two entries of our own to tamper with, in the middle of the chain.
    await strapi.documents(ARTIST).create({ data: unique('tamper a') });
    await strapi.documents(ARTIST).create({ data: unique('tamper b') });
    await strapi.documents(ARTIST).create({ data: unique('tamper c') });
    const { seq: last } = await ledger.head();
    const target = last - 1;
    const original = (await strapi.db.connection(ENTRIES_TABLE).where({ seq: target }).first()) as EntryRow;
    expect(await ledger.verify()).toMatchObject({ ok: true, verified: last });

    // Edited
    await withoutTrigger((knex) => knex(ENTRIES_TABLE).where({ seq: target }).update({ actor_name: 'mallory' }).then(() => undefined));
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: target, kind: 'edited' } });
    const cli = await runVerify();
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`audit trail broken at entry ${target} (edited)`);
    await withoutTrigger((knex) => knex(ENTRIES_TABLE).where({ seq: target }).update({ actor_name: original.actor_name }).then(() => undefined));
    expect(await ledger.verify()).toMatchObject({ ok: true });

    // Missing
    await withoutTrigger((knex) => knex(ENTRIES_TABLE).where({ seq: target }).delete().then(() => undefined));
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: target, kind: 'missing' } });
    await withoutTrigger((knex) => knex(ENTRIES_TABLE).insert(original).then(() => undefined));

    // Moved: two entries swap places.
    await withoutTrigger(async (knex) => {
      await knex(ENTRIES_TABLE).where({ seq: target }).update({ seq: -1 });
      await knex(ENTRIES_TABLE).where({ seq: target - 1 }).update({ seq: target });
      await knex(ENTRIES_TABLE).where({ seq: -1 }).update({ seq: target - 1 });
    });
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: target - 1, kind: 'reordered' } });
    await withoutTrigger(async (knex) => {
      await knex(ENTRIES_TABLE).where({ seq: target - 1 }).update({ seq: -1 });
      await knex(ENTRIES_TABLE).where({ seq: target }).update({ seq: target - 1 });
      await knex(ENTRIES_TABLE).where({ seq: -1 }).update({ seq: target });
    });

    // Inserted: a forged entry in place of a real one, and one beyond the head.
    await withoutTrigger((knex) => knex(ENTRIES_TABLE).where({ seq: target }).delete().then(() => undefined));
    await strapi.db.connection(ENTRIES_TABLE).insert({ ...original, action: 'delete', hash: 'f'.repeat(64) });
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: target, kind: 'edited' } });
    await withoutTrigger(async (knex) => {
      await knex(ENTRIES_TABLE).where({ seq: target }).delete();
      await knex(ENTRIES_TABLE).insert(original);
    });
    const { seq: head } = await ledger.head();
    await strapi.db.connection(ENTRIES_TABLE).insert({ ...original, seq: head + 1, hash: 'e'.repeat(64) });
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: head + 1, kind: 'inserted' } });
    await withoutTrigger((knex) => knex(ENTRIES_TABLE).where({ seq: head + 1 }).delete().then(() => undefined));

    expect(await ledger.verify()).toMatchObject({ ok: true });
    const clean = await runVerify();
    expect(clean.output).toMatch(/audit trail verified: \d+ entries/);
    expect(clean.code).toBe(0);
  });

  it('serves the entries read-only to admins with the permission: filters, cursor pages, 400 on a bad filter, 403 without it', async () => {
    const docs = [];
    for (let i = 0; i < 3; i += 1) docs.push(await strapi.documents(ARTIST).create({ data: unique('listed') }));
    await strapi.documents(ARTIST).update({ documentId: docs[0].documentId, data: { genre: 'Son' } });
    const reader = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
    const editor = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, ROLES.editor))}` };

    const first = await (await http()).get(`/audit-trail/entries?documentId=${docs[0].documentId}&limit=1`).set(reader).expect(200);
    expect(first.body.data.map((entry: { action: string }) => entry.action)).toEqual(['update']);
    expect(first.body.data[0]).toMatchObject({ contentType: ARTIST, actor: { kind: 'script', origin: 'script' }, diff: { after: { draft: { genre: 'Son' } } } });
    const second = await (await http()).get(`/audit-trail/entries?documentId=${docs[0].documentId}&limit=1&cursor=${first.body.meta.nextCursor}`).set(reader).expect(200);
    expect(second.body.data.map((entry: { action: string }) => entry.action)).toEqual(['create']);
    expect(second.body.meta.nextCursor).toBeNull();
    const creates = await (await http()).get(`/audit-trail/entries?action=create&contentType=${ARTIST}&limit=3`).set(reader).expect(200);
    expect(creates.body.data.map((entry: { documentId: string }) => entry.documentId)).toEqual(docs.map((doc) => doc.documentId).reverse());

    for (const query of ['who=me', 'from=yesterday', 'cursor=!!', 'limit=1000', 'action=erase']) {
      const res = await (await http()).get(`/audit-trail/entries?${query}`).set(reader).expect(400);
      expect(res.body.error.name).toBe('ValidationError');
    }
    await (await http()).get('/audit-trail/entries').set(editor).expect(403);
    await (await http()).get('/audit-trail/entries').expect(401);
    for (const method of ['post', 'put', 'delete'] as const) {
      const res = await (await http())[method]('/audit-trail/entries').set(reader);
      expect([404, 405]).toContain(res.status);
    }
  });
});
