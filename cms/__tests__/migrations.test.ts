/**
 * Upgrades of an existing database (cms/database/migrations, run by Strapi before its schema sync):
 * each keeps what editors and fans already wrote.
 */
import { createRequire } from 'module';
import path from 'path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../scripts/lib/database';
import { bootStrapi } from '../test/strapi';
import { CMS_DIR } from '../test/environment';
import { maskVoteLinks, revealVoteLinks } from '../../plugins/sms-voting/server/src/utils/replies';

// The knex Strapi runs migrations with (the app does not depend on knex itself).
const knexFactory = createRequire(require.resolve('@strapi/database'))('knex') as typeof import('knex').knex;
const MIGRATIONS = path.join(CMS_DIR, 'database', 'migrations');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const roundState = require(path.join(MIGRATIONS, '2026.12.02T00.00.00.round-state.js')) as { up(knex: Knex): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const maskVotingLinks = require(path.join(MIGRATIONS, '2026.12.02T12.00.00.mask-voting-links.js')) as { up(knex: Knex): Promise<void> };

describe('database upgrades', () => {
  let knex: Knex;
  let drop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const database = await createScratchDatabase(process.env.DATABASE_URL, 'migrations');
      drop = database.drop;
      knex = knexFactory({ client: 'pg', connection: database.url });
    } else {
      knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    }
  });

  afterAll(async () => {
    await knex?.destroy();
    await drop();
  });

  it('moves each round from `status` to `state` and keeps it pending, open or closed', async () => {
    // The rounds table as the release before this one left it.
    await knex.schema.createTable('rounds', (table) => {
      table.increments('id');
      table.string('document_id');
      table.integer('number');
      table.string('status');
    });
    await knex('rounds').insert([
      { document_id: 'r1', number: 1, status: 'closed' },
      { document_id: 'r2', number: 2, status: 'open' },
      { document_id: 'r3', number: 3, status: 'pending' },
    ]);

    await knex.transaction((trx) => roundState.up(trx));

    expect(await knex.schema.hasColumn('rounds', 'status')).toBe(false);
    expect(await knex('rounds').orderBy('number').select('document_id', 'state')).toEqual([
      { document_id: 'r1', state: 'closed' },
      { document_id: 'r2', state: 'open' },
      { document_id: 'r3', state: 'pending' },
    ]);
    // Run again (a second upgrade, or a new database): nothing to do, nothing lost.
    await knex.transaction((trx) => roundState.up(trx));
    expect(await knex('rounds').where({ document_id: 'r2' }).first('state')).toEqual({ state: 'open' });
  });

  it('masks the voting links stored in clear in join replies and outbox bodies, as the voting plugin masks them', async () => {
    // The two tables as the release before this one left them (the columns that matter).
    await knex.schema.createTable('sms_voting_inbound_messages', (table) => {
      table.increments('id');
      table.string('message_sid');
      table.text('body');
      table.text('reply');
    });
    await knex.schema.createTable('messages', (table) => {
      table.increments('id');
      table.string('state');
      table.text('body');
    });
    const token = 'Zm9vYmFyYmF6cXV4MTIzNDU2';
    const joined = `You're in for Demo! Round 1 is open: text 1-4 or vote at https://ovation.example/vote/${token} Reply STOP to opt out.`;
    const notified = `¡La ronda 2 de Demo está abierta! Envía 1-4 o vota en https://ovation.example/es/vote/${token}`;
    await knex('sms_voting_inbound_messages').insert([
      { message_sid: 'SM1', body: 'DEMO', reply: joined },
      { message_sid: 'SM2', body: '2', reply: 'Vote counted for Luna Vega in round 1. Thanks!' },
      { message_sid: 'SM3', body: `what is https://ovation.example/vote/${token}`, reply: "Sorry, we didn't get that." },
    ]);
    await knex('messages').insert([
      { state: 'queued', body: notified },
      { state: 'sent', body: 'Welcome to Ovation! Text DEMO to +1 202 555 0100 to join.' },
    ]);

    await knex.transaction((trx) => maskVotingLinks.up(trx));

    const inbound = await knex('sms_voting_inbound_messages').orderBy('id').select('body', 'reply');
    const bodies = await knex('messages').orderBy('id').pluck('body');
    expect(JSON.stringify([inbound, bodies])).not.toContain(token);
    expect(inbound.map((row) => row.reply)).toEqual([maskVoteLinks(joined), 'Vote counted for Luna Vega in round 1. Thanks!', "Sorry, we didn't get that."]);
    expect(inbound[2].body).toBe('what is https://ovation.example/vote/••••••••');
    expect(bodies).toEqual([maskVoteLinks(notified), 'Welcome to Ovation! Text DEMO to +1 202 555 0100 to join.']);
    // The queued notification is sent with its link again once the worker derives the token.
    expect(revealVoteLinks(bodies[0], token)).toBe(notified);
    // Run again: nothing left to mask, nothing changed.
    await knex.transaction((trx) => maskVotingLinks.up(trx));
    expect(await knex('messages').orderBy('id').pluck('body')).toEqual(bodies);
  });

  it('is one of the migrations Strapi runs at boot', async () => {
    const strapi = await bootStrapi();
    const ran = await strapi.db.connection('strapi_migrations').pluck('name');
    expect(ran).toContain('2026.12.02T00.00.00.round-state.js');
    expect(ran).toContain('2026.12.02T12.00.00.mask-voting-links.js');
    expect(await strapi.db.connection.schema.hasColumn('rounds', 'state')).toBe(true);
    expect(await strapi.db.connection.schema.hasColumn('rounds', 'status')).toBe(false);
  });
});
