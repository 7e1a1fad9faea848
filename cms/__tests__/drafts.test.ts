/**
 * Drafts never reach the public through rounds and lineup entries (issue 17, "Drafts through rounds
 * and lineups"). Rounds and lineup entries have no drafts of their own, and Strapi links them to both
 * versions of their event and artist (to the draft alone while one was never published); its relation
 * filters join every linked row. An editor builds, in the Content Manager's own API, a never-published
 * event and artist and a published event, artist and post with unpublished edits, each draft text
 * carrying a marker; REST and GraphQL must then neither return nor match any marker, however the
 * filter reaches it, while the published text still matches.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { adminToken, createAdminUser, ROLES } from '../test/admin';
import { bootStrapi, fullAccessToken, http } from '../test/strapi';

const RUN = Date.now().toString(36).toUpperCase();
// Draft text: never returned, never matched. Keywords hold only letters and digits, so markers do too.
const HIDDEN = `HID${RUN}`; // the never-published event's title, keyword and description
const EDIT = `EDT${RUN}`; // the published event's unpublished edit
const SECRET_ARTIST = `ART${RUN}`; // the never-published artist
const ARTIST_EDIT = `BIO${RUN}`; // the published artist's unpublished edit
const DRAFT_POST = `PST${RUN}`; // a post never published, about the published event
const DRAFTS = [HIDDEN, EDIT, SECRET_ARTIST, ARTIST_EDIT, DRAFT_POST];
// Published text: still found.
const SHOWN = `PUB${RUN}`;
const KNOWN_ARTIST = `KNW${RUN}`;

type Row = { documentId: string; title?: string; vote_code?: string; [key: string]: unknown };
type Body = {
  data: Row[] | Row | null;
  meta?: { pagination: { total: number } };
  errors?: { message: string }[];
  error?: { name: string; message: string };
};

const leaked = (body: unknown) => DRAFTS.filter((marker) => JSON.stringify(body).toUpperCase().includes(marker));
const ids = (rows: Row[] | null | undefined) => (rows ?? []).map((row) => row.documentId).sort();

describe('drafts behind rounds and lineup entries', () => {
  let strapi: Core.Strapi;
  let editor: { Authorization: string };
  const hidden = { event: '', rounds: [] as string[], lineup: [] as string[] };
  const shown = { event: '', slug: `shown-${RUN.toLowerCase()}`, keyword: `SHW${RUN}`, rounds: [] as string[], known: '', secret: '', post: '' };

  /** What an editor does in the admin: the Content Manager's API, with an Editor's session. */
  const admin = async (method: 'post' | 'put', path: string, body: Record<string, unknown>) => {
    const res = await (await http())[method](`/content-manager/collection-types/${path}`).set(editor).send(body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body.data as Row;
  };
  const create = (uid: string, data: Record<string, unknown>, locale = 'en') => admin('post', `${uid}?locale=${locale}`, data);
  const publish = (uid: string, documentId: string, data: Record<string, unknown> = {}) =>
    admin('post', `${uid}/${documentId}/actions/publish?locale=en`, data);
  const editDraft = (uid: string, documentId: string, data: Record<string, unknown>) => admin('put', `${uid}/${documentId}?locale=en`, data);
  const link = (documentId: string) => ({ connect: [{ documentId, locale: 'en' }] });

  beforeAll(async () => {
    strapi = await bootStrapi();
    editor = { Authorization: `Bearer ${await adminToken(await createAdminUser(strapi, ROLES.editor))}` };
    const EVENT = 'api::event.event';
    const ARTIST = 'api::artist.artist';
    const ROUND = 'api::round.round';
    const LINEUP = 'api::lineup-entry.lineup-entry';
    const when = { starts_at: new Date(Date.now() + 86_400_000).toISOString(), timezone: 'UTC' };

    // Published artist with an unpublished edit, and an artist never published.
    const known = await create(ARTIST, { name: `Known ${KNOWN_ARTIST}`, slug: `known-${RUN.toLowerCase()}`, bio: 'On tour.' });
    await publish(ARTIST, known.documentId);
    await editDraft(ARTIST, known.documentId, { bio: `Next album ${ARTIST_EDIT}` });
    const secret = await create(ARTIST, { name: `Surprise ${SECRET_ARTIST}`, slug: `surprise-${RUN.toLowerCase()}`, bio: `Guest ${SECRET_ARTIST}` });

    // An event never published, with its rounds and lineup.
    const draft = await create(EVENT, {
      ...when,
      title: `Hidden ${HIDDEN}`,
      slug: `hidden-${RUN.toLowerCase()}`,
      keyword: HIDDEN,
      description: `Secret plans ${HIDDEN}`,
    });
    hidden.event = draft.documentId;
    for (const number of [1, 2]) hidden.rounds.push((await create(ROUND, { number, title: `${RUN} hidden round ${number}`, event: link(draft.documentId) })).documentId);
    hidden.lineup.push((await create(LINEUP, { vote_code: '1', event: link(draft.documentId), artist: link(known.documentId) })).documentId);
    hidden.lineup.push((await create(LINEUP, { vote_code: '2', event: link(draft.documentId), artist: link(secret.documentId) })).documentId);

    // A published event whose draft has since been edited, with a lineup of a published and an unpublished artist.
    const event = await create(EVENT, { ...when, title: `Published ${SHOWN}`, slug: shown.slug, keyword: shown.keyword });
    shown.event = event.documentId;
    await publish(EVENT, event.documentId);
    for (const number of [1, 2]) shown.rounds.push((await create(ROUND, { number, title: `${RUN} shown round ${number}`, event: link(event.documentId) })).documentId);
    shown.known = (await create(LINEUP, { vote_code: '1', event: link(event.documentId), artist: link(known.documentId) })).documentId;
    shown.secret = (await create(LINEUP, { vote_code: '2', event: link(event.documentId), artist: link(secret.documentId) })).documentId;
    const post = await create('api::post.post', { title: `Recap ${SHOWN}`, slug: `recap-${RUN.toLowerCase()}`, event: link(event.documentId), artists: link(known.documentId) });
    await publish('api::post.post', post.documentId);
    shown.post = post.documentId;
    await create('api::post.post', { title: `Draft recap ${DRAFT_POST}`, slug: `draft-recap-${RUN.toLowerCase()}`, event: link(event.documentId) });
    await editDraft(EVENT, event.documentId, { title: `Renamed ${EDIT}`, keyword: EDIT, description: `New plans ${EDIT}` });
  });

  const get = async (path: string) => (await (await http()).get(path)).body as Body;
  const graphql = async (query: string) => (await (await http()).post('/graphql').send({ query })).body as Body & { data: Record<string, any> };
  const inList = (field: string, values: string[]) => values.map((value, i) => `filters[${field}][$in][${i}]=${value}`).join('&');
  const allRounds = () => [...hidden.rounds, ...shown.rounds];
  const allEntries = () => [...hidden.lineup, shown.known, shown.secret];

  describe('over REST', () => {
    it('lists, counts and finds by document id only the rounds and lineup entries of published events', async () => {
      const rounds = await get(`/api/rounds?${inList('documentId', allRounds())}`);
      expect(ids(rounds.data as Row[])).toEqual([...shown.rounds].sort());
      expect(rounds.meta?.pagination.total).toBe(2);
      const entries = await get(`/api/lineup-entries?${inList('documentId', allEntries())}`);
      expect(ids(entries.data as Row[])).toEqual([shown.known, shown.secret].sort());

      for (const documentId of hidden.rounds) expect((await (await http()).get(`/api/rounds/${documentId}`)).status).toBe(404);
      for (const documentId of hidden.lineup) expect((await (await http()).get(`/api/lineup-entries/${documentId}`)).status).toBe(404);
      expect((await (await http()).get(`/api/rounds/${shown.rounds[0]}`)).status).toBe(200);
    });

    it('matches no draft text through a relation filter, whatever the operator or path', async () => {
      const round = (filter: string) => `/api/rounds?${filter}`;
      const entry = (filter: string) => `/api/lineup-entries?${filter}`;
      const probes = [
        ...[round, entry].flatMap((on) => [
          on(`filters[event][title][$contains]=${HIDDEN}`),
          on(`filters[event][title][$eq]=Hidden ${HIDDEN}`),
          on(`filters[event][keyword][$eq]=${HIDDEN}`),
          on(`filters[event][description][$contains]=${HIDDEN}`),
          on(`filters[event][title][$contains]=${EDIT}`),
          on(`filters[event][title][$containsi]=${EDIT.toLowerCase()}`),
          on(`filters[event][title][$startsWith]=Renamed ${EDIT}`),
          on(`filters[event][title][$eq]=Renamed ${EDIT}`),
          on(`filters[event][keyword][$eq]=${EDIT}`),
          on(`filters[event][keyword][$eqi]=${EDIT.toLowerCase()}`),
          on(`filters[event][description][$endsWith]=${EDIT}`),
          on(`filters[event][description][$notNull]=true&filters[event][slug][$eq]=${shown.slug}`),
          on(`filters[$or][0][event][title][$contains]=${EDIT}&filters[$or][1][id][$eq]=0`),
          on(`filters[$and][0][event][keyword][$eq]=${EDIT}&filters[$and][1][id][$gte]=1`),
          on(`filters[event][$and][0][title][$contains]=${EDIT}&filters[event][$and][1][slug][$eq]=${shown.slug}`),
          on(`filters[event][$or][0][title][$contains]=${HIDDEN}&filters[event][$or][1][description][$contains]=${EDIT}`),
          on(`filters[event][posts][title][$contains]=${DRAFT_POST}`),
          on(`filters[event][localizations][title][$contains]=${EDIT}`),
          on(`filters[event][rounds][event][title][$contains]=${EDIT}`),
          on(`filters[event][lineup][artist][bio][$contains]=${ARTIST_EDIT}`),
        ]),
        // The published title has the published marker, its draft not: `$not` must not see the draft either.
        round(`filters[$not][event][title][$contains]=${SHOWN}&${inList('documentId', shown.rounds)}`),
        round(`filters[$not][$or][0][event][title][$contains]=${SHOWN}&filters[$not][$or][1][id][$eq]=0&${inList('documentId', shown.rounds)}`),
        entry(`filters[artist][name][$contains]=${SECRET_ARTIST}`),
        entry(`filters[artist][bio][$contains]=${ARTIST_EDIT}`),
        entry(`filters[artist][bio][$containsi]=${ARTIST_EDIT.toLowerCase()}`),
        entry(`filters[$not][artist][bio][$eq]=On tour.&filters[documentId][$eq]=${shown.known}`),
        `/api/events?filters[rounds][event][title][$contains]=${EDIT}`,
        `/api/events?filters[rounds][event][keyword][$eq]=${HIDDEN}`,
        `/api/events?filters[lineup][event][description][$contains]=${EDIT}`,
        `/api/events?filters[lineup][artist][bio][$contains]=${ARTIST_EDIT}`,
        `/api/events?filters[lineup][artist][name][$contains]=${SECRET_ARTIST}`,
        `/api/events?filters[localizations][title][$contains]=${EDIT}`,
        `/api/events?filters[posts][title][$contains]=${DRAFT_POST}`,
        `/api/posts?filters[event][title][$contains]=${EDIT}`,
        `/api/posts?filters[event][rounds][event][description][$contains]=${EDIT}`,
        `/api/posts?filters[event][lineup][artist][bio][$contains]=${ARTIST_EDIT}`,
        `/api/posts?filters[artists][bio][$contains]=${ARTIST_EDIT}`,
        `/api/events?filters[slug][$eq]=${shown.slug}&populate[posts][filters][event][rounds][event][title][$contains]=${EDIT}&populate[rounds][filters][event][title][$contains]=${EDIT}&populate[lineup][filters][artist][bio][$contains]=${ARTIST_EDIT}`,
      ];
      const matched: string[] = [];
      for (const path of probes) {
        const res = await (await http()).get(path);
        expect(res.status, path).toBe(200);
        const rows = ([] as Row[]).concat((res.body as Body).data ?? []);
        // The last probe returns the event itself: what counts is what its populated relations matched.
        const found = path.includes('populate[') ? rows.flatMap((event) => ['posts', 'rounds', 'lineup'].flatMap((key) => (event[key] as Row[] | undefined) ?? [])) : rows;
        if (found.length > 0 || leaked(res.body).length > 0) matched.push(path);
      }
      expect(matched).toEqual([]);
    });

    it('still matches the published text through the same relations', async () => {
      const expectations: [string, string[]][] = [
        [`/api/rounds?filters[event][title][$contains]=${SHOWN}`, shown.rounds],
        [`/api/rounds?filters[event][title][$containsi]=${SHOWN.toLowerCase()}`, shown.rounds],
        [`/api/rounds?filters[event][title][$startsWith]=Published ${SHOWN}`, shown.rounds],
        [`/api/rounds?filters[event][keyword][$eq]=${shown.keyword}`, shown.rounds],
        [`/api/rounds?filters[event][description][$null]=true&filters[event][slug][$eq]=${shown.slug}`, shown.rounds],
        [`/api/rounds?filters[event][$notNull]=true&${inList('documentId', shown.rounds)}`, shown.rounds],
        [`/api/rounds?filters[$not][event][title][$contains]=${EDIT}&${inList('documentId', shown.rounds)}`, shown.rounds],
        [`/api/rounds?filters[event][documentId][$eq]=${shown.event}`, shown.rounds],
        [`/api/lineup-entries?filters[artist][name][$eq]=Known ${KNOWN_ARTIST}`, [shown.known]],
        [`/api/lineup-entries?filters[artist][bio][$eq]=On tour.&filters[event][slug][$eq]=${shown.slug}`, [shown.known]],
        // An artist never published is, to the public, no artist at all.
        [`/api/lineup-entries?filters[artist][$null]=true&filters[event][keyword][$eq]=${shown.keyword}`, [shown.secret]],
        [`/api/events?filters[rounds][event][title][$contains]=${SHOWN}`, [shown.event]],
        [`/api/events?filters[lineup][artist][name][$contains]=${KNOWN_ARTIST}&filters[slug][$eq]=${shown.slug}`, [shown.event]],
        [`/api/events?filters[localizations][title][$contains]=${SHOWN}`, [shown.event]],
        [`/api/posts?filters[event][slug][$eq]=${shown.slug}`, [shown.post]],
        [`/api/posts?filters[artists][name][$contains]=${KNOWN_ARTIST}`, [shown.post]],
      ];
      for (const [path, expected] of expectations) {
        const res = await (await http()).get(path);
        expect(res.status, path).toBe(200);
        expect(ids(res.body.data), path).toEqual([...expected].sort());
      }
    });

    it('populates only published events and artists, and lists an unpublished artist’s entry without its artist', async () => {
      const paths = [
        `/api/rounds?${inList('documentId', allRounds())}&populate=*`,
        `/api/rounds?${inList('documentId', allRounds())}&populate[event][populate][lineup][populate]=artist`,
        `/api/lineup-entries?${inList('documentId', allEntries())}&populate=*`,
        `/api/lineup-entries?${inList('documentId', allEntries())}&populate[event][populate]=*&populate[artist][populate]=*`,
        `/api/events?filters[slug][$eq]=${shown.slug}&populate[rounds][populate]=event&populate[lineup][populate]=*`,
        `/api/events?filters[slug][$eq]=${shown.slug}&populate[rounds][populate][event][populate]=*&populate[lineup][populate][event]=true`,
        `/api/posts?filters[slug][$eq]=recap-${RUN.toLowerCase()}&populate[event][populate][rounds][populate]=event&populate[event][populate][lineup][populate]=artist`,
        `/api/posts?filters[slug][$eq]=recap-${RUN.toLowerCase()}&populate[event][populate][posts]=true&populate[artists]=true`,
      ];
      for (const path of paths) {
        const res = await (await http()).get(path);
        expect(res.status, path).toBe(200);
        expect(leaked(res.body), path).toEqual([]);
        expect(JSON.stringify(res.body), path).toContain(SHOWN);
      }
      const entries = (await get(`/api/lineup-entries?${inList('documentId', [shown.known, shown.secret])}&populate=artist&sort=vote_code`)).data as Row[];
      expect(entries.map((e) => [e.vote_code, (e.artist as { name: string } | null)?.name ?? null])).toEqual([
        ['1', `Known ${KNOWN_ARTIST}`],
        ['2', null],
      ]);
    });

    it('refuses what would read drafts: status=draft on rounds and lineups, a sort through a relation, a publication filter', async () => {
      for (const path of ['/api/rounds?status=draft&populate=event', '/api/lineup-entries?status=draft&populate=*']) {
        const res = await (await http()).get(path);
        expect(res.status, path).toBe(403);
        expect(res.body.error.message).toMatch(/Drafts are not public/);
      }
      for (const path of ['/api/rounds?sort=event.title:asc', '/api/lineup-entries?sort[0]=artist.bio', '/api/events?sort=localizations.title', '/api/events?sort=rounds.event.title', '/api/posts?sort=event.starts_at']) {
        const res = await (await http()).get(path);
        expect(res.status, path).toBe(400);
        expect(res.body.error.name).toBe('ValidationError');
        expect(res.body.error.message).toMatch(/Cannot sort by/);
      }
      for (const path of ['/api/events?publicationFilter=modified', '/api/posts?hasPublishedVersion=true']) {
        expect((await (await http()).get(path)).status, path).toBe(403);
      }
    });
  });

  describe('over GraphQL', () => {
    const list = (ids: string[]) => `[${ids.map((id) => `"${id}"`).join(', ')}]`;

    it('lists, counts and finds only the rounds and lineup entries of published events', async () => {
      const res = await graphql(`{
        rounds(filters: { documentId: { in: ${list(allRounds())} } }) { documentId event { title } }
        rounds_connection(filters: { documentId: { in: ${list(allRounds())} } }) { nodes { documentId } pageInfo { total } }
        lineupEntries(filters: { documentId: { in: ${list(allEntries())} } }) { documentId vote_code artist { name bio } event { title } }
        lineupEntries_connection(filters: { documentId: { in: ${list(allEntries())} } }) { pageInfo { total } }
        hiddenRound: round(documentId: "${hidden.rounds[0]}") { documentId }
        hiddenEntry: lineupEntry(documentId: "${hidden.lineup[0]}") { documentId }
      }`);
      expect(res.errors).toBeUndefined();
      expect(leaked(res)).toEqual([]);
      expect(ids(res.data.rounds)).toEqual([...shown.rounds].sort());
      expect(res.data.rounds[0].event.title).toBe(`Published ${SHOWN}`);
      expect(res.data.rounds_connection.pageInfo.total).toBe(2);
      expect(ids(res.data.lineupEntries)).toEqual([shown.known, shown.secret].sort());
      expect(res.data.lineupEntries_connection.pageInfo.total).toBe(2);
      expect(res.data.hiddenRound).toBeNull();
      expect(res.data.hiddenEntry).toBeNull();
    });

    it('matches no draft text through a relation filter, and still the published text', async () => {
      const none = [
        `rounds(filters: { event: { title: { contains: "${EDIT}" } } }) { documentId }`,
        `rounds(filters: { event: { keyword: { eq: "${HIDDEN}" } } }) { documentId }`,
        `rounds(filters: { or: [{ event: { description: { containsi: "${EDIT.toLowerCase()}" } } }, { number: { eq: 0 } }] }) { documentId }`,
        `rounds(filters: { and: [{ event: { title: { startsWith: "Renamed" } } }, { documentId: { in: ${list(shown.rounds)} } }] }) { documentId }`,
        `rounds(filters: { not: { event: { title: { contains: "${SHOWN}" } } }, documentId: { in: ${list(shown.rounds)} } }) { documentId }`,
        `rounds_connection(filters: { event: { title: { contains: "${HIDDEN}" } } }) { nodes { documentId } }`,
        `lineupEntries(filters: { artist: { bio: { contains: "${ARTIST_EDIT}" } } }) { documentId }`,
        `lineupEntries(filters: { artist: { name: { contains: "${SECRET_ARTIST}" } } }) { documentId }`,
        `events(filters: { rounds: { event: { title: { contains: "${EDIT}" } } } }) { documentId }`,
        `events(filters: { lineup: { artist: { bio: { contains: "${ARTIST_EDIT}" } } } }) { documentId }`,
        `events(filters: { localizations: { title: { contains: "${EDIT}" } } }) { documentId }`,
        `posts(filters: { event: { rounds: { event: { keyword: { eq: "${EDIT}" } } } } }) { documentId }`,
      ];
      for (const field of none) {
        const res = await graphql(`{ found: ${field} }`);
        expect(res.errors, field).toBeUndefined();
        const found = Array.isArray(res.data.found) ? res.data.found : res.data.found.nodes;
        expect(found, field).toEqual([]);
      }
      // Through the associations of a published post and event (each a query of its own in Strapi).
      const nested = await graphql(`{
        posts(filters: { documentId: { eq: "${shown.post}" } }) {
          event {
            posts(filters: { event: { rounds: { event: { title: { contains: "${EDIT}" } } } } }) { documentId }
            rounds(filters: { event: { title: { contains: "${EDIT}" } } }) { documentId }
            lineup(filters: { artist: { bio: { contains: "${ARTIST_EDIT}" } } }) { documentId }
            lineup_connection { nodes { vote_code artist { name bio } event { title description } } }
          }
          artists(filters: { bio: { contains: "${ARTIST_EDIT}" } }) { documentId }
        }
      }`);
      expect(nested.errors).toBeUndefined();
      expect(leaked(nested)).toEqual([]);
      const [post] = nested.data.posts;
      expect([post.event.posts, post.event.rounds, post.event.lineup, post.artists]).toEqual([[], [], [], []]);
      expect(post.event.lineup_connection.nodes.map((entry: { artist: { name: string } | null }) => entry.artist?.name ?? null)).toEqual([`Known ${KNOWN_ARTIST}`, null]);

      const published = await graphql(`{
        rounds(filters: { event: { title: { contains: "${SHOWN}" } } }) { documentId }
        events(filters: { rounds: { event: { keyword: { eq: "${shown.keyword}" } } } }) { documentId }
        lineupEntries(filters: { artist: { name: { eq: "Known ${KNOWN_ARTIST}" } }, event: { slug: { eq: "${shown.slug}" } } }) { documentId }
      }`);
      expect(published.errors).toBeUndefined();
      expect(ids(published.data.rounds)).toEqual([...shown.rounds].sort());
      expect(ids(published.data.events)).toEqual([shown.event]);
      expect(ids(published.data.lineupEntries)).toEqual([shown.known]);
    });

    it('refuses drafts asked for by status, a sort through a relation and a publication filter', async () => {
      for (const query of [
        `{ rounds(status: DRAFT) { title event { title description } } }`,
        `{ lineupEntries(status: DRAFT) { vote_code event { title } } }`,
        `{ events_connection(status: DRAFT) { nodes { title } } }`,
        `{ rounds(sort: "event.title:asc") { title } }`,
        `{ events(publicationFilter: MODIFIED) { title } }`,
      ]) {
        const res = await graphql(query);
        expect(res.errors?.length, query).toBeGreaterThan(0);
        expect(leaked(res), query).toEqual([]);
        expect(JSON.stringify(res.data ?? null), query).not.toMatch(/"title":"/);
      }
    });
  });

  it('leaves editors and full-access tokens reading everything, drafts included', async () => {
    const editorView = await (await http())
      .get(`/content-manager/collection-types/api::round.round?filters[$and][0][event][title][$contains]=${HIDDEN}`)
      .set(editor)
      .expect(200);
    expect(ids(editorView.body.results)).toEqual([...hidden.rounds].sort());

    const token = { Authorization: `Bearer ${await fullAccessToken(strapi)}` };
    const trusted = await (await http()).get(`/api/rounds?status=draft&${inList('documentId', allRounds())}&populate=event`).set(token).expect(200);
    expect(ids(trusted.body.data)).toEqual(allRounds().sort());
    expect(JSON.stringify(trusted.body)).toContain(`Hidden ${HIDDEN}`);
  });
});
