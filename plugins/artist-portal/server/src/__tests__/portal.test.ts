/**
 * The artist portal against the real app: an editor invites an artist through the outbox, the link
 * claims the profile once, the artist proposes text, links and a picture (checked by content, size
 * and owner), an editor publishes, and the artist reads their results without any fan in them.
 */
import crypto from 'crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { adminToken, createAdminUser, ROLES } from '../../../../../cms/test/admin';
import { fromAddress } from '../../../../../cms/test/clients';
import { apiToken, bootStrapi, http } from '../../../../../cms/test/strapi';
import { dashboardCsv } from '../services/dashboard';

const RUN = Date.now().toString(36);
let sequence = 0;
const next = () => (sequence += 1);
const ARTIST = 'api::artist.artist';
const password = () => `Stage-${crypto.randomBytes(8).toString('hex')}-Pw`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function jpegWithExif() {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#c04080' } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'secret-serial-1234', Artist: 'Camera Owner' } })
    .toBuffer();
}

describe('artist portal', () => {
  let strapi: Core.Strapi;
  let editor: string;
  let viewer: string;

  const newArtist = async (name = `Portal Artist ${RUN}-${next()}`) => {
    const doc = await strapi.documents(ARTIST).create({ locale: 'en', status: 'published', data: { name, slug: `portal-${RUN}-${sequence}`, bio: 'Old bio' } as never });
    return { documentId: doc.documentId as string, slug: `portal-${RUN}-${sequence}`, name };
  };
  const invite = async (documentId: string, body: Record<string, unknown>, token = editor) =>
    (await http()).post(`/artist-portal/artists/${documentId}/invitations`).set(bearer(token)).send(body);
  /** The claim link in the newest invitation to this artist, as the worker would send it. */
  async function sentLink() {
    const row = await strapi.db.connection('messages').where({ purpose: 'artist-invitation' }).orderBy('id', 'desc').first();
    const sending = await strapi.service('api::message.message').forSending(Number(row.id));
    const token = /\/artist\/claim\/([A-Za-z0-9_.-]+)/.exec(sending.body)?.[1];
    if (!token) throw new Error(`No claim link in ${sending.body}`);
    return { token, stored: row.body as string, sent: sending.body as string, to: sending.to as string };
  }
  const claim = async (token: string, body: Record<string, unknown>) => (await http()).post(`/api/artist-portal/claims/${token}`).set(fromAddress()).send(body);
  const account = () => {
    const n = next();
    return { username: `artist-${RUN}-${n}`, email: `artist-${RUN}-${n}@ovation.test`, password: password() };
  };
  async function signIn(identifier: string, pass: string) {
    const res = await (await http()).post('/api/auth/local').set(fromAddress()).send({ identifier, password: pass }).expect(200);
    return res.body.jwt as string;
  }
  /** An artist invited by email and claimed: their session token. */
  async function claimedArtist() {
    const artist = await newArtist();
    await invite(artist.documentId, { channel: 'email', to: `inbox-${RUN}-${next()}@ovation.test` }).then((res) => expect(res.status).toBe(200));
    const { token } = await sentLink();
    const person = account();
    await claim(token, person).then((res) => expect(res.status).toBe(200));
    return { ...artist, jwt: await signIn(person.email, person.password) };
  }

  beforeAll(async () => {
    strapi = await bootStrapi();
    editor = await adminToken(await createAdminUser(strapi, ROLES.editor));
    viewer = await adminToken(await createAdminUser(strapi, 'ovation-viewer'));
  });

  describe('invitations', () => {
    it('sends a claim link through the outbox: stored masked, sent whole, kept only hashed; the artist becomes invited', async () => {
      const artist = await newArtist();
      const email = `invite-${RUN}-${next()}@ovation.test`;
      const res = await invite(artist.documentId, { channel: 'email', to: email, language: 'es' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ artist: { claimStatus: 'invited' }, invitation: { channel: 'email', recipient: expect.stringMatching(/^i\*\*\*@ovation\.test$/) } });
      const link = await sentLink();
      expect(link.to).toBe(email);
      expect(link.sent).toContain(`/es/artist/claim/${link.token}`);
      expect(link.stored).not.toContain(link.token);
      const rows = await strapi.db.connection('artist_portal_invitations').where({ artist_ref: artist.documentId });
      expect(JSON.stringify(rows)).not.toContain(link.token);
      expect(rows[0].token_hash).toBe(crypto.createHash('sha256').update(link.token).digest('hex'));
      const job = await strapi.db.connection('ops_jobs').where({ idempotency_key: `message.send:artist-invitation:${rows[0].id}` }).first();
      expect(job).toBeTruthy();
      expect(JSON.stringify(job.payload)).not.toContain(email);
      const stored = await strapi.documents(ARTIST).findOne({ documentId: artist.documentId, locale: 'en' });
      expect(stored?.claim_status).toBe('invited');
    });

    it('re-inviting revokes the earlier link (410), and an SMS invitation carries the link too', async () => {
      const artist = await newArtist();
      await invite(artist.documentId, { channel: 'email', to: `first-${RUN}@ovation.test` });
      const first = await sentLink();
      const res = await invite(artist.documentId, { channel: 'sms', to: '+15005550006' });
      expect(res.status).toBe(200);
      expect(res.body.data.invitation).toMatchObject({ channel: 'sms', recipient: '+15***06' });
      const second = await sentLink();
      expect(second.sent).toMatch(/^You are invited to manage .* https?:\/\/[^ ]+\/artist\/claim\//);
      const old = await (await http()).get(`/api/artist-portal/claims/${first.token}`).set(fromAddress());
      expect(old.status).toBe(410);
      expect(old.body.error.message).toMatch(/newer invitation/);
      const fresh = await (await http()).get(`/api/artist-portal/claims/${second.token}`).set(fromAddress()).expect(200);
      expect(fresh.body.data.artist).toEqual({ name: artist.name, slug: artist.slug });
    });

    it('leaves the claim status to the invitation and the claim: an editor cannot set it by hand, and saving the artist still works', async () => {
      const artist = await newArtist();
      const entry = `/content-manager/collection-types/api::artist.artist/${artist.documentId}?locale=en`;
      const status = async () => (await strapi.db.connection('artists').where({ document_id: artist.documentId }).first('claim_status')).claim_status;
      const byHand = await (await http()).put(entry).set(bearer(editor)).send({ name: artist.name, claim_status: 'claimed' });
      expect(byHand.status).toBe(400);
      expect(byHand.body.error.details.errors[0].path).toEqual(['claim_status']);
      expect(await status()).toBe('unclaimed');
      // The edit form sends every field back: unchanged, it saves.
      const saved = await (await http()).put(entry).set(bearer(editor)).send({ name: `${artist.name} (renamed)`, claim_status: 'unclaimed' });
      expect(saved.status).toBe(200);
      await invite(artist.documentId, { channel: 'email', to: `status-${RUN}@ovation.test` }).then((res) => expect(res.status).toBe(200));
      expect(await status()).toBe('invited');
      expect((await (await http()).put(entry).set(bearer(editor)).send({ claim_status: 'unclaimed' })).status).toBe(400);
      expect(await status()).toBe('invited');
    });

    it('refuses bad input and callers without the right: 400, 403, 404, nothing sent', async () => {
      const artist = await newArtist();
      const before = await strapi.db.connection('messages').count({ n: '*' }).first();
      expect((await invite(artist.documentId, { channel: 'email', to: 'not-an-address' })).status).toBe(400);
      expect((await invite(artist.documentId, { channel: 'sms', to: '5551234' })).status).toBe(400);
      expect((await invite(artist.documentId, { channel: 'pigeon', to: 'x' })).status).toBe(400);
      expect((await invite('nosuchartist0000000000', { channel: 'email', to: 'a@b.test' })).status).toBe(404);
      expect((await invite(artist.documentId, { channel: 'email', to: 'a@b.test' }, viewer)).status).toBe(403);
      expect((await (await http()).post(`/artist-portal/artists/${artist.documentId}/invitations`).send({ channel: 'email', to: 'a@b.test' })).status).toBe(401);
      const after = await strapi.db.connection('messages').count({ n: '*' }).first();
      expect(Number(after?.n)).toBe(Number(before?.n));
      const stored = await strapi.documents(ARTIST).findOne({ documentId: artist.documentId, locale: 'en' });
      expect(stored?.claim_status).toBe('unclaimed');
    });
  });

  describe('claims', () => {
    it('creates an Artist account linked to that artist, once; the second claim is refused', async () => {
      const artist = await newArtist();
      await invite(artist.documentId, { channel: 'email', to: `claim-${RUN}-${next()}@ovation.test` });
      const { token } = await sentLink();

      const weak = await claim(token, { ...account(), password: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.error.message).toMatch(/at least 12 characters/);

      const person = account();
      const res = await claim(token, person);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ artist: { name: artist.name, slug: artist.slug }, user: { username: person.username, email: person.email } });
      const user = await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: person.email }, populate: ['role'] });
      expect(user.role.type).toBe('artist');
      const link = await strapi.db.connection('artist_portal_accounts').where({ user_id: user.id }).first();
      expect(link.artist_ref).toBe(artist.documentId);
      expect((await strapi.documents(ARTIST).findOne({ documentId: artist.documentId, locale: 'en' }))?.claim_status).toBe('claimed');

      const again = await claim(token, account());
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already been used/);
      expect((await invite(artist.documentId, { channel: 'email', to: 'late@ovation.test' })).status).toBe(400);
      const jwt = await signIn(person.username, person.password);
      expect((await (await http()).get('/api/artist-portal/me').set(bearer(jwt)).expect(200)).body.data.artist.documentId).toBe(artist.documentId);
    });

    it('answers forged, malformed and expired links with a clear 4xx and creates nothing', async () => {
      const artist = await newArtist();
      await invite(artist.documentId, { channel: 'email', to: `exp-${RUN}-${next()}@ovation.test` });
      const { token } = await sentLink();
      const forged = `${token.split('.')[0]}.${crypto.randomBytes(32).toString('base64url').slice(0, 43)}`;
      const users = await strapi.db.query('plugin::users-permissions.user').count();
      for (const bad of [forged, 'not-a-token', `${crypto.randomBytes(16).toString('base64url')}.${crypto.randomBytes(32).toString('base64url').slice(0, 43)}`]) {
        const res = await claim(bad, account());
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe('This claim link is not valid');
      }
      await strapi.db.connection('artist_portal_invitations').where({ artist_ref: artist.documentId }).update({ expires_at: new Date(Date.now() - 1000) });
      const expired = await claim(token, account());
      expect(expired.status).toBe(410);
      expect(expired.body.error.message).toMatch(/expired/);
      expect(await strapi.db.query('plugin::users-permissions.user').count()).toBe(users);
    });

    it('makes one account when the same link is claimed twice at once', async () => {
      const artist = await newArtist();
      await invite(artist.documentId, { channel: 'email', to: `race-${RUN}-${next()}@ovation.test` });
      const { token } = await sentLink();
      const answers = await Promise.all([claim(token, account()), claim(token, account())]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
      expect(await strapi.db.connection('artist_portal_accounts').where({ artist_ref: artist.documentId }).count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
      const rows = await strapi.db.connection('artist_portal_accounts').where({ artist_ref: artist.documentId });
      expect(rows).toHaveLength(1);
    });
  });

  describe('profile changes', () => {
    it('saves text and links as a pending change the public does not see; an editor publishes it in both languages', async () => {
      const me = await claimedArtist();
      const bad = await (await http()).put('/api/artist-portal/me/profile').set(bearer(me.jwt)).send({ bio: { en: 'x', es: null }, genre: null, links: [{ url: 'javascript:alert(1)' }] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/links\.0/);

      const res = await (await http())
        .put('/api/artist-portal/me/profile')
        .set(bearer(me.jwt))
        .send({ bio: { en: 'New English bio', es: 'Nueva biografía' }, genre: 'Cumbia', links: [{ url: 'https://open.spotify.com/artist/1' }, { url: 'https://youtu.be/x' }, { url: 'https://band.example.org/' }] });
      expect(res.status).toBe(200);
      expect(res.body.data.pending).toMatchObject({
        bio: { en: 'New English bio', es: 'Nueva biografía' },
        genre: 'Cumbia',
        links: [
          { platform: 'spotify', url: 'https://open.spotify.com/artist/1' },
          { platform: 'youtube', url: 'https://youtu.be/x' },
          { platform: 'website', url: 'https://band.example.org/' },
        ],
      });
      const publicRead = async (locale = 'en') =>
        (await (await http()).get(`/api/artists?filters[slug][$eq]=${me.slug}&locale=${locale}&populate=*`).set(fromAddress()).expect(200)).body.data[0];
      expect((await publicRead()).bio).toBe('Old bio');

      const pending = (await (await http()).get('/artist-portal/changes').set(bearer(editor)).expect(200)).body.data as { id: number; artist: { documentId: string } }[];
      const change = pending.find((item) => item.artist.documentId === me.documentId)!;
      expect(change).toMatchObject({ bio: { en: 'New English bio' }, current: { bio: { en: 'Old bio' } } });
      expect((await (await http()).post(`/artist-portal/changes/${change.id}/publish`).set(bearer(viewer))).status).toBe(403);
      const published = await (await http()).post(`/artist-portal/changes/${change.id}/publish`).set(bearer(editor));
      expect(published.body).toEqual({ data: { published: true } });
      expect((await (await http()).post(`/artist-portal/changes/${change.id}/publish`).set(bearer(editor))).status).toBe(400);

      expect(await publicRead()).toMatchObject({ bio: 'New English bio', genre: 'Cumbia', links: [expect.objectContaining({ platform: 'spotify' }), expect.anything(), expect.anything()] });
      expect(await publicRead('es')).toMatchObject({ bio: 'Nueva biografía' });
      expect((await (await http()).get('/api/artist-portal/me').set(bearer(me.jwt)).expect(200)).body.data.pending).toBeNull();
    });

    it('takes a JPEG, PNG or WebP up to 5 MB by its content, re-encoded without metadata; refuses PHP, 20 MB and SVG', async () => {
      const me = await claimedArtist();
      const upload = async (data: Buffer, filename: string, contentType: string) =>
        (await http()).post('/api/artist-portal/me/avatar').set(bearer(me.jwt)).attach('avatar', data, { filename, contentType });

      const php = await upload(Buffer.from('<?php system($_GET["c"]); ?>'), 'avatar.jpg', 'image/jpeg');
      expect(php.status).toBe(415);
      expect(php.body.error.message).toMatch(/JPEG, PNG or WebP/);
      const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'avatar.svg', 'image/svg+xml');
      expect(svg.status).toBe(415);
      const big = Buffer.concat([await jpegWithExif(), Buffer.alloc(20 * 1024 * 1024, 7)]);
      const huge = await upload(big, 'big.jpg', 'image/jpeg');
      expect(huge.status).toBe(413);
      const truncated = (await jpegWithExif()).subarray(0, 300);
      expect((await upload(truncated, 'broken.jpg', 'image/jpeg')).status).toBe(400);
      expect((await (await http()).get('/api/artist-portal/me').set(bearer(me.jwt))).body.data.pending).toBeNull();

      const ok = await upload(await jpegWithExif(), 'me.png', 'image/png');
      expect(ok.status).toBe(200);
      const url = ok.body.data.pending.avatar.url as string;
      const file = await strapi.db.query('plugin::upload.file').findOne({ where: { url } });
      expect(file).toMatchObject({ mime: 'image/jpeg', width: 800, height: 800 });
      // Served by the upload provider: the test run's S3 behind its CDN, or the cms's own /uploads.
      const bytes = /^https?:/.test(url) ? Buffer.from(await (await fetch(url)).arrayBuffer()) : (await (await http()).get(url).expect(200)).body;
      const metadata = await sharp(bytes).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(Buffer.from(bytes).includes(Buffer.from('secret-serial-1234'))).toBe(false);
    });

    it('keeps every artist to their own profile, by the server', async () => {
      const a = await claimedArtist();
      const b = await claimedArtist();
      const sneaky = await (await http()).put('/api/artist-portal/me/profile').set(bearer(a.jwt)).send({ artist: b.documentId, bio: { en: 'Hacked', es: null }, genre: null, links: [] });
      expect(sneaky.status).toBe(400);
      const direct = await (await http()).put(`/api/artists/${b.documentId}`).set(bearer(a.jwt)).send({ data: { bio: 'Hacked' } });
      expect([403, 404, 405]).toContain(direct.status);
      await (await http()).put('/api/artist-portal/me/profile').set(bearer(a.jwt)).send({ bio: { en: 'Mine', es: null }, genre: null, links: [] }).expect(200);
      const bView = (await (await http()).get('/api/artist-portal/me').set(bearer(b.jwt)).expect(200)).body.data;
      expect(bView.artist.documentId).toBe(b.documentId);
      expect(bView.pending).toBeNull();
      expect((await strapi.documents(ARTIST).findOne({ documentId: b.documentId, locale: 'en' }))?.bio).toBe('Old bio');

      // A signed-in account that is not an artist's, and nobody at all.
      const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
      const fan = account();
      await strapi.plugin('users-permissions').service('user').add({ ...fan, provider: 'local', confirmed: true, blocked: false, role: role.id });
      expect((await (await http()).get('/api/artist-portal/me').set(bearer(await signIn(fan.email, fan.password)))).status).toBe(403);
      expect((await (await http()).get('/api/artist-portal/me').set(fromAddress())).status).toBe(403);

      // API tokens are not people: not even a full-access one reads an artist's profile or results.
      for (const type of ['read-only', 'full-access'] as const) {
        const token = await apiToken(strapi, type);
        for (const route of ['/api/artist-portal/me', '/api/artist-portal/me/dashboard', '/api/artist-portal/me/dashboard.csv']) {
          expect([401, 403], `${type} on ${route}`).toContain((await (await http()).get(route).set(bearer(token))).status);
        }
      }
    });
  });

  describe('dashboard', () => {
    it('shows votes, rank and share per round, votes over time and fans joined, as JSON and CSV, with no fan in it', async () => {
      const me = await claimedArtist();
      const suffix = crypto.randomBytes(3).toString('hex');
      const event = await strapi.documents('api::event.event').create({
        locale: 'en',
        status: 'published',
        data: { title: `Dashboard night ${suffix}`, slug: `dash-${suffix}`, keyword: `D${suffix}`.toUpperCase(), starts_at: new Date(), timezone: 'UTC', phase: 'live', results_visibility: 'public' } as never,
      });
      const round = await strapi.documents('api::round.round').create({
        data: { event: event.documentId, number: 1, state: 'open', opens_at: new Date(Date.now() - 60_000), closes_at: new Date(Date.now() + 3_600_000) } as never,
      });
      const other = await newArtist();
      const mine = await strapi.documents('api::lineup-entry.lineup-entry').create({ data: { event: event.documentId, artist: me.documentId, vote_code: '1', order: 1 } as never });
      const theirs = await strapi.documents('api::lineup-entry.lineup-entry').create({ data: { event: event.documentId, artist: other.documentId, vote_code: '2', order: 2 } as never });
      strapi.plugin('sms-voting').service('directory').clear();
      const now = new Date();
      const fans = Array.from({ length: 5 }, () => crypto.randomBytes(12).toString('hex'));
      await strapi.db.connection('fans').insert(fans.map((id) => ({ document_id: id, phone_hash: crypto.randomBytes(32).toString('hex'), phone_encrypted: 'v1.none', phone_masked: '+1***00', language: 'en', first_seen: now, created_at: now, updated_at: now, published_at: now })));
      await strapi.db.connection('sms_voting_attendances').insert(fans.map((fan) => ({ document_id: crypto.randomBytes(12).toString('hex'), event_ref: event.documentId, fan_ref: fan, source: 'sms', created_at: now, updated_at: now, published_at: now })));
      const votes = strapi.plugin('sms-voting').service('votes');
      for (const [i, fan] of fans.entries()) {
        const entry = i < 2 ? { documentId: mine.documentId, code: '1' } : { documentId: theirs.documentId, code: '2' };
        expect((await votes.cast({ fanRef: fan, eventRef: event.documentId, roundRef: round.documentId, entry, channel: 'sms' })).status).toBe('accepted');
      }

      const res = await (await http()).get('/api/artist-portal/me/dashboard').set(bearer(me.jwt)).expect(200);
      expect(res.body.data.events).toHaveLength(1);
      expect(res.body.data.events[0]).toMatchObject({
        event: { slug: `dash-${suffix}` },
        code: '1',
        fansJoined: 5,
        rounds: [{ number: 1, votes: 2, totalVotes: 5, share: 0.4, rank: 2, entries: 2 }],
        votesOverTime: [{ minute: expect.stringMatching(/:00\.000Z$/), votes: 2 }],
      });
      const text = JSON.stringify(res.body);
      for (const fan of fans) expect(text).not.toContain(fan);

      const csv = await (await http()).get('/api/artist-portal/me/dashboard.csv').set(bearer(me.jwt)).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text).toBe(dashboardCsv(res.body.data));
      expect(csv.text.split('\r\n')[1]).toBe(`dash-${suffix},Dashboard night ${suffix},1,5,1,,2,5,40.0,2,2`);
    });
  });
});
