/**
 * Signed checkpoints against the real app: written hourly by the workers' job (once per slot) and on
 * demand, each recorded in the trail; served to API tokens given the permission and to admins, with
 * the public key; and what `audit:verify` makes of them: a forged checkpoint, a rewritten chain that
 * only a kept checkpoint reveals, a truncated tail.
 */
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { apiToken, bootStrapi, http } from '../../../../../cms/test/strapi';
import { scheduledCheckpointJob, startAuditSchedules } from '../../../../../workers/src/audit/schedule';
import { silentLogger, startWorkerPool, storeOf, until } from '../../../../../workers/src/__tests__/pool';
import { providersFromEnv } from '../../../../../workers/src/providers';
import type { Checkpoint } from '../../../shared/contracts/checkpoints';
import type { CheckpointsService } from '../services/checkpoints';
import type { LedgerService } from '../services/ledger';
import { contentOf, fromRow, hashEntry, toRow, type EntryRow } from '../utils/entry';
import { CHECKPOINTS_TABLE, ENTRIES_TABLE, HEAD_TABLE } from '../utils/schema';
import { parseSigningKey, signCheckpoint } from '../utils/signing';
import { retainedEntries, runScript, uniqueArtist, withoutTrigger } from './trail';

const ARTIST = 'api::artist.artist';
const RUN = Date.now().toString(36);
/** A name and slug no other artist of this run has. */
const unique = (label: string) => uniqueArtist('Checkpoint', label);

describe('audit trail checkpoints', () => {
  let strapi: Core.Strapi;
  let ledger: LedgerService;
  let checkpoints: CheckpointsService;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-kept-'));
  /** A checkpoint kept outside, as an outside party would keep it: a file. */
  const keep = (checkpoint: Checkpoint) => {
    const file = path.join(dir, `checkpoint-${checkpoint.seq}.json`);
    fs.writeFileSync(file, JSON.stringify(checkpoint));
    return file;
  };

  beforeAll(async () => {
    strapi = await bootStrapi();
    ledger = strapi.plugin('audit-trail').service('ledger') as LedgerService;
    checkpoints = strapi.plugin('audit-trail').service('checkpoints') as CheckpointsService;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a checkpoint of the chain head on demand, signed, and records it in the trail', async () => {
    await strapi.documents(ARTIST).create({ data: unique('demand') });
    const head = await ledger.head();
    const checkpoint = await checkpoints.write({ reason: 'manual' });
    expect(checkpoint).toMatchObject({ seq: head.seq, hash: head.hash, reason: 'manual', keyId: checkpoints.publicKey().keyId });
    const message = Buffer.from(JSON.stringify({ hash: checkpoint.hash, occurredAt: checkpoint.occurredAt, seq: checkpoint.seq }));
    expect(crypto.verify(null, message, checkpoints.publicKey().publicKey, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);

    const recorded = (await strapi.db.connection(ENTRIES_TABLE).where({ seq: head.seq + 1 }).first()) as EntryRow;
    expect(recorded).toMatchObject({ action: 'audit.checkpoint', content_type: 'audit-trail', document_id: String(head.seq), actor_kind: 'script' });
    expect(JSON.parse(recorded.diff).after).toMatchObject({ seq: head.seq, head: head.hash, reason: 'manual' });
    expect(await ledger.verify()).toMatchObject({ ok: true });
  });

  it('npm run audit:checkpoint prints a signed checkpoint that audit:verify --from-checkpoint then accepts', async () => {
    const printed = await runScript('audit:checkpoint');
    expect(printed.code).toBe(0);
    const checkpoint = JSON.parse(printed.stdout) as Checkpoint;
    expect(checkpoint).toMatchObject({ reason: 'manual', keyId: checkpoints.publicKey().keyId });
    const verified = await runScript('audit:verify', ['--from-checkpoint', keep(checkpoint)]);
    expect(verified.output).toContain(`the kept checkpoint of entry ${checkpoint.seq} matches`);
    // (After a retention purge, which another test file may have run, it also says where the chain starts.)
    expect(verified.output).toMatch(/audit trail verified: \d+ entries( \(from entry \d+: older ones purged by retention\))?, [1-9]\d* signed checkpoints/);
    expect(verified.code).toBe(0);

    const notACheckpoint = path.join(dir, 'not-a-checkpoint.json');
    fs.writeFileSync(notACheckpoint, JSON.stringify({ seq: 1 }));
    const refused = await runScript('audit:verify', ['--from-checkpoint', notACheckpoint]);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('is not a checkpoint');
  });

  it('the hourly job: one row per slot however many workers schedule it, run by a worker as that job, once', async () => {
    const pool = startWorkerPool({ strapi, providers: providersFromEnv({}), names: ['audit.checkpoint'] });
    // The clock of two workers an hour ago: the slot they schedule is due by now.
    const anHourAgo = () => new Date(Date.now() - 3_600_000);
    const workers = [1, 2].map(() => startAuditSchedules({ store: storeOf(strapi), logger: silentLogger, names: ['audit.checkpoint'], everyMs: 3_600_000, now: anHourAgo }));
    try {
      await Promise.all(workers.map((schedule) => schedule.tick()));
      const job = scheduledCheckpointJob(new Date(Math.ceil((Date.now() - 3_600_000) / 3_600_000) * 3_600_000));
      const rows = await strapi.db.connection('ops_jobs').where({ idempotency_key: job.key });
      expect(rows).toHaveLength(1);
      await until(async () => (await strapi.db.connection('ops_jobs').where({ id: rows[0].id }).first('state')).state === 'done', 30_000, 'the checkpoint job done');

      const written = await strapi.db.connection(CHECKPOINTS_TABLE).where({ slot: job.payload.slot });
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({ reason: 'scheduled' });
      const recorded = await strapi.db.connection(ENTRIES_TABLE).where({ action: 'audit.checkpoint', document_id: String(written[0].seq) });
      expect(recorded.at(-1)).toMatchObject({ actor_kind: 'job', actor_name: 'audit.checkpoint', origin: 'worker' });

      // Delivered again (at least once): the same checkpoint, nothing new written or recorded.
      const entriesBefore = (await ledger.head()).seq;
      const again = await checkpoints.write({ reason: 'scheduled', slot: job.payload.slot });
      expect(again.signature).toBe(written[0].signature);
      expect(await strapi.db.connection(CHECKPOINTS_TABLE).where({ slot: job.payload.slot })).toHaveLength(1);
      expect((await ledger.head()).seq).toBe(entriesBefore);
    } finally {
      workers.forEach((schedule) => schedule.stop());
      await pool.stop();
    }
  });

  it('serves the checkpoints with the public key to API tokens given the permission and to admins with read; refuses everyone else', async () => {
    await checkpoints.write({ reason: 'manual' });
    const allowed = await apiToken(strapi, 'custom', ['plugin::audit-trail.checkpoints.list']);
    const res = await (await http()).get('/api/audit-trail/checkpoints?limit=2').set({ Authorization: `Bearer ${allowed}` }).expect(200);
    expect(res.body.data).toHaveLength(2);
    expect(res.body.meta).toMatchObject({ algorithm: 'Ed25519', keyId: checkpoints.publicKey().keyId, retired: [] });
    const [newest] = res.body.data as Checkpoint[];
    const message = Buffer.from(JSON.stringify({ hash: newest.hash, occurredAt: newest.occurredAt, seq: newest.seq }));
    expect(crypto.verify(null, message, res.body.meta.publicKey, Buffer.from(newest.signature, 'base64'))).toBe(true);
    const next = await (await http()).get(`/api/audit-trail/checkpoints?limit=2&cursor=${res.body.meta.nextCursor}`).set({ Authorization: `Bearer ${allowed}` }).expect(200);
    expect(next.body.data[0].seq).toBeLessThanOrEqual(res.body.data[1].seq);
    await (await http()).get('/api/audit-trail/checkpoints').set({ Authorization: `Bearer ${await apiToken(strapi, 'full-access')}` }).expect(200);
    // After a rotation the keys retired (AUDIT_SIGNING_KEYS_RETIRED) are served too, to verify older checkpoints with.
    const retired = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    strapi.config.set('plugin::audit-trail.retiredKeys', retired);
    try {
      const rotated = await (await http()).get('/api/audit-trail/checkpoints?limit=1').set({ Authorization: `Bearer ${allowed}` }).expect(200);
      expect(rotated.body.meta.retired).toEqual([{ keyId: expect.stringMatching(/^[0-9a-f]{16}$/), publicKey: retired }]);
    } finally {
      strapi.config.set('plugin::audit-trail.retiredKeys', '');
    }

    // Read-only tokens (Strapi hands them every find), custom tokens without it, nobody: refused.
    await (await http()).get('/api/audit-trail/checkpoints').set({ Authorization: `Bearer ${await apiToken(strapi, 'read-only')}` }).expect(403);
    const other = await apiToken(strapi, 'custom', ['api::artist.artist.find']);
    await (await http()).get('/api/audit-trail/checkpoints').set({ Authorization: `Bearer ${other}` }).expect(403);
    await (await http()).get('/api/audit-trail/checkpoints').expect(401);
    // A users-permissions user is refused even when its role is given the action.
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    await strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'plugin::audit-trail.checkpoints.list', role: role.id } });
    const user = await strapi.plugin('users-permissions').service('user').add({ username: `cp-${RUN}`, email: `cp-${RUN}@ovation.test`, password: `Pw-${RUN}-9x`, provider: 'local', confirmed: true, blocked: false, role: role.id });
    const jwt = strapi.plugin('users-permissions').service('jwt').issue({ id: user.id });
    await (await http()).get('/api/audit-trail/checkpoints').set({ Authorization: `Bearer ${jwt}` }).expect(401);
    // An admin session is not a content-API credential; admins read them from the admin API.
    const reader = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi))}` };
    await (await http()).get('/api/audit-trail/checkpoints').set(reader).expect(401);
    const admin = await (await http()).get('/audit-trail/checkpoints?limit=1').set(reader).expect(200);
    expect(admin.body.data[0]).toEqual(newest);
    const editor = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, ROLES.editor))}` };
    await (await http()).get('/audit-trail/checkpoints').set(editor).expect(403);

    for (const query of ['seq=1', 'limit=0', 'cursor=!!']) {
      const bad = await (await http()).get(`/audit-trail/checkpoints?${query}`).set(reader).expect(400);
      expect(bad.body.error.name).toBe('ValidationError');
      await (await http()).get(`/api/audit-trail/checkpoints?${query}`).set({ Authorization: `Bearer ${allowed}` }).expect(400);
    }
    for (const method of ['post', 'put', 'delete'] as const) {
      for (const [route, auth] of [['/audit-trail/checkpoints', reader], ['/api/audit-trail/checkpoints', { Authorization: `Bearer ${allowed}` }]] as const) {
        expect([404, 405]).toContain((await (await http())[method](route).set(auth)).status);
      }
    }
  });

  it('verifies across a key rotation: the old key retired verifies what it signed, never what it signs after the new key took over', async () => {
    const old = await checkpoints.write({ reason: 'manual' });
    const oldKey = parseSigningKey(process.env.AUDIT_SIGNING_KEY as string);
    const next = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const nextId = parseSigningKey(next).keyId;
    const rotated = { AUDIT_SIGNING_KEY: next, AUDIT_SIGNING_KEYS_RETIRED: oldKey.publicKeyPem };
    try {
      // A new key alone: the checkpoints the old one signed no longer verify, and say why.
      const unlisted = await runScript('audit:verify', [], { AUDIT_SIGNING_KEY: next });
      expect(unlisted.code).toBe(1);
      expect(unlisted.output).toMatch(new RegExp(`signed by key ${oldKey.keyId}, neither the configured key ${nextId} nor a retired one`));

      // Rotated properly: the new key signs, and both keys' checkpoints verify.
      const written = await runScript('audit:checkpoint', [], rotated);
      expect(written.code, written.output).toBe(0);
      expect(JSON.parse(written.stdout)).toMatchObject({ keyId: nextId });
      const verified = await runScript('audit:verify', [], rotated);
      expect(verified.output).toMatch(/audit trail verified: \d+ entries/);
      expect(verified.code).toBe(0);

      // The old key, lost and used after the rotation: its new checkpoint is named.
      const late = signCheckpoint({ seq: old.seq, hash: old.hash, occurredAt: new Date().toISOString() }, oldKey);
      await strapi.db.connection(CHECKPOINTS_TABLE).insert({ seq: late.seq, hash: late.hash, occurred_at: late.occurredAt, key_id: late.keyId, signature: late.signature, reason: 'manual' });
      const refused = await runScript('audit:verify', [], rotated);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(new RegExp(`\\(signature\\): the checkpoint signed ${late.occurredAt} at entry ${old.seq}: it is signed by the retired key ${oldKey.keyId}, after the configured key ${nextId} took over`));
    } finally {
      // Back to this run's key: the checkpoints signed since the rotation go.
      const rotatedAt = ((await strapi.db.connection(CHECKPOINTS_TABLE).where({ key_id: nextId }).min({ at: 'occurred_at' }).first()) as { at: string | null }).at;
      await withoutTrigger(strapi, (knex) => knex(CHECKPOINTS_TABLE).where({ key_id: nextId }).orWhere((late) => late.where({ key_id: oldKey.keyId }).andWhere('occurred_at', '>=', rotatedAt ?? '9')).delete());
    }
    expect(await ledger.verify()).toMatchObject({ ok: true });
  }, 120_000);

  it('names a forged checkpoint, a chain rewritten after a kept checkpoint, and a tail cut off before it', async () => {
    for (let i = 0; i < 3; i += 1) await strapi.documents(ARTIST).create({ data: unique('kept') });
    const kept = await checkpoints.write({ reason: 'manual' });
    const keptFile = keep(kept);
    await strapi.documents(ARTIST).create({ data: unique('after') });

    // Forged: a checkpoint row whose signature is not the key's.
    await strapi.db.connection(CHECKPOINTS_TABLE).insert({ seq: kept.seq, hash: 'f'.repeat(64), occurred_at: new Date().toISOString(), key_id: kept.keyId, signature: kept.signature, reason: 'manual' });
    expect(await ledger.verify()).toMatchObject({ ok: false, problem: { seq: kept.seq, kind: 'signature' } });
    const forged = await runScript('audit:verify');
    expect(forged.code).toBe(1);
    expect(forged.output).toMatch(new RegExp(`audit trail broken at entry ${kept.seq} \\(signature\\): the checkpoint signed .* its signature does not verify`));
    await withoutTrigger(strapi, (knex) => knex(CHECKPOINTS_TABLE).where({ hash: 'f'.repeat(64) }).delete());

    // Rewritten: someone with the database's keys edits an entry before the checkpoint and rebuilds
    // every hash after it, the head, and removes the stored checkpoints that would give it away.
    const target = kept.seq - 1;
    await withoutTrigger(strapi, async (knex) => {
      const rows = (await knex(ENTRIES_TABLE).where('seq', '>=', target).orderBy('seq', 'asc')) as EntryRow[];
      let prevHash = rows[0].prev_hash;
      for (const row of rows) {
        const content = { ...contentOf(fromRow(row)), prevHash };
        if (content.seq === target) content.actor = { ...content.actor, name: 'mallory' };
        const hash = hashEntry(content);
        await knex(ENTRIES_TABLE).where({ seq: row.seq }).update(toRow({ ...content, hash }));
        prevHash = hash;
      }
      await knex(HEAD_TABLE).where({ id: 1 }).update({ hash: prevHash });
      await knex(CHECKPOINTS_TABLE).where('seq', '>=', target).delete();
    });
    // The database alone cannot tell: the chain is consistent.
    expect(await ledger.verify()).toMatchObject({ ok: true, verified: await retainedEntries(strapi) });
    expect(await ledger.verify()).toMatchObject({ ok: true });
    const rewritten = await runScript('audit:verify', ['--from-checkpoint', keptFile]);
    expect(rewritten.code).toBe(1);
    expect(rewritten.output).toContain(`audit trail broken at entry ${kept.seq} (rewritten): entry ${kept.seq} is not the entry the kept checkpoint (signed ${kept.occurredAt}) signed`);

    // Cut off: the entries from the checkpoint's on are removed and the head moved back.
    const now = await checkpoints.write({ reason: 'manual' });
    const cutFile = keep(now);
    await withoutTrigger(strapi, async (knex) => {
      const previous = (await knex(ENTRIES_TABLE).where({ seq: now.seq - 1 }).first()) as EntryRow;
      await knex(ENTRIES_TABLE).where('seq', '>=', now.seq).delete();
      await knex(CHECKPOINTS_TABLE).where('seq', '>=', now.seq).delete();
      await knex(HEAD_TABLE).where({ id: 1 }).update({ seq: now.seq - 1, hash: previous.hash });
    });
    const cut = await runScript('audit:verify', ['--from-checkpoint', cutFile]);
    expect(cut.code).toBe(1);
    expect(cut.output).toContain(`audit trail broken at entry ${now.seq} (missing): the chain ends at entry ${now.seq - 1}, but the kept checkpoint`);
    // What is left is a consistent chain again (for the tests after this one).
    expect(await ledger.verify()).toMatchObject({ ok: true });
  }, 120_000);
});
