/**
 * The event wizard in Debian's Chromium, through the built admin (served by a second cms on the
 * run's database): an editor with only the "Manage voting" permission builds an event with two
 * rounds and four artists (two picked, two new; the lineup by keyboard), axe checks every step, the
 * event is published, round 1 opened, and a fan joins by SMS through the signed inbound webhook and
 * votes: the vote counts.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Core } from '@strapi/strapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser, logIn, startAdminCms } from '../../../../../cms/test/admin';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { launchChromium, screenshot } from '../../../../../site/test/browser';
import { toZonedInput } from '../../../admin/src/utils/zoned-time';
import { nextPhoneNumber, sendSms } from './sms';

const RUN = Date.now().toString(36);
const MINUTE = 60_000;
const ZONE = 'America/Mexico_City';

describe('the event wizard in the admin', () => {
  let strapi: Core.Strapi;
  let adminUrl: string;
  let browser: Browser;
  const known = [`Los Conocidos ${RUN}`, `The Regulars ${RUN}`];

  beforeAll(async () => {
    strapi = await bootStrapi();
    // A real catalogue: hundreds of artists, more than the pickers' virtualised lists render at once.
    const now = new Date();
    const catalogue = Array.from({ length: 800 }, (_, i) => ({
      document_id: `catalogue${RUN}${String(i).padStart(3, '0')}`.padEnd(24, '0').slice(0, 24),
      name: `Aaa catalogue ${RUN} ${String(i).padStart(3, '0')}`,
      slug: `aaa-catalogue-${RUN}-${i}`,
      locale: 'en',
      claim_status: 'unclaimed',
      created_at: now,
      updated_at: now,
    }));
    await strapi.db.connection.batchInsert('artists', catalogue, 200);
    [adminUrl, browser] = await Promise.all([startAdminCms(), launchChromium()]);
    for (const name of known) {
      await strapi.documents('api::artist.artist').create({ locale: 'en', status: 'published', data: { name, slug: name.toLowerCase().replace(/ /g, '-') } as never });
    }
    // A published event with no keyword (voting by web link only): the list says "None" for it.
    await strapi.documents('api::event.event').create({ locale: 'en', status: 'published', data: { title: `Web-only night ${RUN}`, slug: `web-only-${RUN}`, starts_at: now, timezone: 'UTC' } as never });
  }, 600_000);

  // The admin-serving cms is shared by the run's browser files (cms/test/admin.ts) and stopped with it.
  afterAll(async () => {
    await browser?.close();
  });

  /** An admin whose role holds nothing but "Manage voting", so the wizard needs no Content Manager rights. */
  async function votingEditor() {
    const role = await strapi.service('admin::role').create({ name: `Voting editor ${RUN}`, description: 'Runs the live events' });
    await strapi.service('admin::role').assignPermissions(role.id, [{ action: 'plugin::sms-voting.manage', subject: null, properties: {}, conditions: [] }]);
    return createAdminUser(strapi, role.code);
  }

  async function expectNoAxeViolations(page: Page, step: string) {
    const { violations } = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${step}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.html.slice(0, 200)).join(', ')})`)).toEqual([]);
  }

  /** An input by its label, which ends with "*" when the field is required. */
const field = (scope: Pick<Page, 'getByLabel'>, label: string) => scope.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}\\*?$`));

const wall = (offsetMinutes: number) => toZonedInput(new Date(Date.now() + offsetMinutes * MINUTE).toISOString(), ZONE);

  // The whole flow with axe on every step: about 50 s on a quiet machine, more in a full run.
  it('an editor creates and publishes an event with two rounds and four artists, and a fan joins it by SMS and votes', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const keyword = `WIZ${RUN}`.toUpperCase().slice(0, 20);
    const title = `Wizard showcase ${RUN}`;
    try {
      await logIn(page, adminUrl, await votingEditor());
      await page.goto(`${adminUrl}/admin/plugins/sms-voting`);
      await page.getByRole('link', { name: 'New event' }).click();
      await page.getByRole('heading', { name: 'Step 1 of 4: Details' }).waitFor();

      // Details.
      await field(page, 'Title (English)').fill(title);
      await field(page, 'Title (Spanish)').fill(`Gala del asistente ${RUN}`);
      await field(page, 'Description (English)').fill('Four acts, two rounds.');
      await field(page, 'Description (Spanish)').fill('Cuatro actos, dos rondas.');
      await field(page, 'Venue').fill('Foro Sol');
      await field(page, 'City').fill('Mexico City');
      await field(page, 'Time zone').fill(ZONE);
      const intendedStart = Date.now() + 20 * MINUTE;
      await field(page, 'Starts').fill(wall(20));
      await field(page, 'Ends').fill(wall(240));
      await field(page, 'SMS keyword').fill('stop');
      await page.getByText('This word is an SMS command (such as JOIN, STOP or HELP)').first().waitFor();
      await field(page, 'SMS keyword').fill(keyword.toLowerCase());
      await page.getByText(`${keyword} is available`).first().waitFor();
      await field(page, 'Capacity').fill('300');
      await expectNoAxeViolations(page, 'details');
      await page.getByRole('button', { name: 'Next' }).click();

      // Rounds: the second overlaps the first at first, and the server's answer shows at its field.
      await page.getByRole('heading', { name: 'Step 2 of 4: Rounds' }).waitFor();
      const round = (n: number) => page.getByRole('group', { name: `Round ${n}` });
      await field(round(1), 'Title (English)').fill('Opening');
      await field(round(1), 'Title (Spanish)').fill('Apertura');
      await field(round(1), 'Opens').fill(wall(30));
      await field(round(1), 'Closes').fill(wall(90));
      await page.getByRole('button', { name: 'Add a round' }).click();
      await field(round(2), 'Title (English)').fill('Final');
      await field(round(2), 'Title (Spanish)').fill('Final');
      await field(round(2), 'Opens').fill(wall(60));
      await field(round(2), 'Closes').fill(wall(180));
      await page.getByRole('button', { name: 'Next' }).click();
      await round(2).getByText('Overlaps round 1').waitFor();
      await expectNoAxeViolations(page, 'rounds with an error');
      await field(round(2), 'Opens').fill(wall(120));
      await page.getByRole('button', { name: 'Next' }).click();

      // Lineup, by keyboard only: two artists picked by typing, two new ones typed in; codes suggested.
      await page.getByRole('heading', { name: 'Step 3 of 4: Lineup' }).waitFor();
      const addExisting = page.getByRole('button', { name: 'Add an existing artist' });
      const addNew = page.getByRole('button', { name: 'Add a new artist' });
      for (const name of known) {
        await addExisting.focus();
        await page.keyboard.press('Enter');
        const picker = page.getByRole('combobox', { name: 'Artist' }).last();
        await picker.focus();
        // The whole name, run suffix and all, so the list holds the one option to pick (a full run once
        // spent 15 s failing to pick from what a 12-letter prefix listed).
        await page.keyboard.type(name);
        await page.getByRole('option', { name }).waitFor();
        // The list filters as each letter lands: the arrow is pressed again until the pick takes (under
        // a full run's load the server's search can take longer than expect.poll's default second).
        await expect
          .poll(
            async () => {
              await page.keyboard.press('ArrowDown');
              await page.keyboard.press('Enter');
              return picker.inputValue();
            },
            { timeout: 15_000, interval: 250 }
          )
          .toBe(name);
      }
      for (const suffix of ['Uno', 'Dos']) {
        await addNew.focus();
        await page.keyboard.press('Enter');
        await field(page, 'New artist’s name').last().focus();
        await page.keyboard.type(`Nuevo ${suffix} ${RUN}`);
      }
      expect(await field(page, 'Vote code').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(['1', '2', '3', '4']);
      await expectNoAxeViolations(page, 'lineup');
      await page.getByRole('button', { name: 'Next' }).focus();
      await page.keyboard.press('Enter');

      // Review, then publish.
      await page.getByRole('heading', { name: 'Step 4 of 4: Review' }).waitFor();
      await page.getByText(`2 · ${known[1]}`).waitFor();
      await page.getByText(`4 · Nuevo Dos ${RUN} (new)`).waitFor();
      await expectNoAxeViolations(page, 'review');
      await screenshot(page, 'sms-voting-wizard-review');
      await page.getByRole('button', { name: 'Publish' }).click();

      // The event's live page; round 1 opened by hand.
      await page.waitForURL(/\/admin\/plugins\/sms-voting\/[a-z0-9]+$/);
      await page.getByRole('heading', { name: title, level: 1, exact: true }).waitFor();
      const event = await strapi.db.connection('events').where({ keyword, locale: 'en' }).whereNotNull('published_at').first('document_id');
      expect(page.url()).toBe(`${adminUrl}/admin/plugins/sms-voting/${event.document_id}`);
      // The times typed were Mexico City's wall clock (the browser's own zone is the machine's).
      const stored = await strapi.db.connection('events').where({ document_id: event.document_id, locale: 'en' }).first('starts_at', 'ends_at');
      expect(Math.abs(new Date(stored.starts_at).getTime() - intendedStart)).toBeLessThan(2 * MINUTE);
      expect(new Date(stored.ends_at).getTime() - new Date(stored.starts_at).getTime()).toBe(220 * MINUTE);
      await page.getByRole('button', { name: 'Open', exact: true }).first().click();
      await page.getByRole('button', { name: 'Open and text fans' }).click();
      await expect.poll(() => strapi.db.connection('rounds').where({ event_ref: event.document_id, number: 1 }).first('state').then((row) => row?.state)).toBe('open');

      // A fan joins by SMS with the keyword and votes for a new artist.
      const from = nextPhoneNumber();
      const joined = await sendSms({ from, body: keyword.toLowerCase() });
      expect(joined.response.status).toBe(200);
      expect(joined.reply).toContain(`You're in for ${title}! Round 1 is open`);
      const voted = await sendSms({ from, body: 'VOTE 3' });
      expect(voted.reply).toBe(`Vote counted for Nuevo Uno ${RUN} in round 1. Thanks!`);
      const votes = await strapi.db.connection('sms_voting_votes').where({ event_ref: event.document_id }).select('vote_code');
      expect(votes).toEqual([{ vote_code: '3' }]);

      // The same flow edits it, prefilled.
      await page.getByRole('link', { name: 'Edit event' }).click();
      await page.getByRole('heading', { name: 'Step 1 of 4: Details' }).waitFor();
      expect(await field(page, 'Title (Spanish)').inputValue()).toBe(`Gala del asistente ${RUN}`);
      expect(await field(page, 'SMS keyword').inputValue()).toBe(keyword);
      await page.getByRole('button', { name: /^3\. Lineup/ }).click();
      // Each picker shows its artist's name once the artists are listed (hundreds in a full test run).
      await expect
        .poll(() => page.getByRole('combobox', { name: 'Artist' }).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value)), { timeout: 15_000 })
        .toEqual([...known, `Nuevo Uno ${RUN}`, `Nuevo Dos ${RUN}`]);

      await field(page, 'New artist’s name').count().then((n) => expect(n).toBe(0));
      await page.getByRole('button', { name: /^1\. Details/ }).click();
      await field(page, 'Title (Spanish)').fill(`Gran gala ${RUN}`);
      await page.getByRole('button', { name: /^4\. Review/ }).click();
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.waitForURL(`${adminUrl}/admin/plugins/sms-voting/${event.document_id}`);
      await expect
        .poll(() => strapi.db.connection('events').where({ document_id: event.document_id, locale: 'es' }).whereNotNull('published_at').first('title').then((row) => row?.title))
        .toBe(`Gran gala ${RUN}`);
      expect(Number((await strapi.db.connection('lineup_entries').where({ event_ref: event.document_id }).count({ n: '*' }).first())?.n)).toBe(4);

      // A draft made elsewhere is listed under the events and opens in the wizard.
      const draftTitle = `Unfinished night ${RUN}`;
      await strapi.documents('api::event.event').create({ locale: 'en', data: { title: draftTitle, slug: `unfinished-${RUN}`, starts_at: new Date(), timezone: 'UTC' } as never });
      await page.goto(`${adminUrl}/admin/plugins/sms-voting`);
      await page.getByRole('link', { name: draftTitle }).waitFor();
      await expectNoAxeViolations(page, 'events and drafts');
      await page.getByRole('link', { name: draftTitle }).click();
      await page.getByRole('heading', { name: 'Step 1 of 4: Details' }).waitFor();
      expect(await field(page, 'Title (English)').inputValue()).toBe(draftTitle);
    } catch (error) {
      await screenshot(page, 'sms-voting-wizard-error').catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  }, 180_000);
});
