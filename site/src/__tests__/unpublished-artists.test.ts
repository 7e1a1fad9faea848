/**
 * What fans see of a lineup entry whose artist is not published (the entry by its code, "Act 3",
 * with no name, link or picture) and of an artist with a picture, on the vote page and the
 * leaderboard, server-rendered by the built site against the real CMS.
 */
import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootStrapi, cmsUrl } from '../../../cms/test/strapi';
import { createVotingEvent } from '../../../plugins/sms-voting/server/src/__tests__/fixtures';
import { startSite, type RunningSite } from '../../test/site-server';
import { nextPhoneNumber, textCms, votingPathIn } from '../../test/sms';

describe('lineup entries on the vote page and the leaderboard', () => {
  let app: Core.Strapi;
  let cms: string;
  let site: RunningSite;
  let event: Awaited<ReturnType<typeof createVotingEvent>>;
  let hidden: { documentId: string; name: string; slug: string };
  let pictured: { name: string; slug: string };

  const artistOf = async (code: string) => {
    const entry = await app.db.connection('lineup_entries').where({ event_ref: event.eventRef, vote_code: code }).first('artist_ref');
    return (await app.db.connection('artists').where({ document_id: entry.artist_ref }).first('document_id', 'name', 'slug')) as Record<string, string>;
  };

  beforeAll(async () => {
    app = await bootStrapi();
    cms = await cmsUrl();
    event = await createVotingEvent(app, { lineup: 3 });
    const one = await artistOf('1');
    hidden = { documentId: one.document_id, name: one.name, slug: one.slug };
    await app.documents('api::artist.artist').unpublish({ documentId: hidden.documentId, locale: 'en' });
    const two = await artistOf('2');
    pictured = { name: two.name, slug: two.slug };
    const file = await app.db.query('plugin::upload.file').create({
      data: { name: 'portrait.png', hash: `portrait_${crypto.randomBytes(4).toString('hex')}`, ext: '.png', mime: 'image/png', size: 1.2, url: '/uploads/portrait-site-test.png', provider: 'local' },
    });
    await app.documents('api::artist.artist').update({ documentId: two.document_id, locale: 'en', data: { avatar: file.id } as never });
    await app.documents('api::artist.artist').publish({ documentId: two.document_id, locale: 'en' });
    app.plugin('sms-voting').service('directory').clear();
    site = await startSite(cms);
  });

  afterAll(async () => {
    await site?.stop();
  });

  const page = async (path: string) => (await fetch(`${site.url}${path}`)).text();

  it('offers an unpublished artist as "Act <code>" on the ballot, without the name, and shows a picture when the artist has one', async () => {
    const path = votingPathIn(await textCms(cms, nextPhoneNumber(), event.keyword))!;
    const html = await page(path);
    expect(html).toContain('Act 1');
    expect(html).not.toContain(hidden.name);
    expect(html).toContain(pictured.name);
    expect(html).toMatch(/<img class="avatar" src="http[^"]*\/uploads\/portrait-site-test\.png"/);
    expect(await page(`/es${path}`)).toContain('Número 1');

    // Voting for it works and the receipt names it the same way.
    const token = path.split('/').pop();
    const answer = await fetch(`${site.url}/api/votes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, choice: '1' }) });
    expect(answer.status).toBe(201);
    expect((await answer.json()).receipt.choice).toEqual({ code: '1', artist: null });
  });

  it('ranks the entry on the leaderboard as "Act <code>" with no link to an artist page', async () => {
    const fan = nextPhoneNumber();
    await textCms(cms, fan, event.keyword);
    await textCms(cms, fan, '1');
    const html = await page(`/events/${event.slug}/live`);
    expect(html).toMatch(/<span class="standing-name">Act 1<\/span>/);
    expect(html).not.toContain(hidden.name);
    expect(html).not.toContain(`/artists/${hidden.slug}`);
    expect(html).toContain(`href="/artists/${pictured.slug}"`);
    expect(await page(`/es/events/${event.slug}/live`)).toMatch(/<span class="standing-name">Número 1<\/span>/);
  });
});
