'use strict';

/**
 * A round's lifecycle (pending, open, closed) was stored in `rounds.status`, a name the Content Manager
 * takes for Strapi's draft & publish status: editors could not save a round. It is `rounds.state` now.
 * Strapi runs this before it syncs the schema, so existing rounds keep their state instead of the sync
 * dropping the old column and adding an empty one.
 */
module.exports = {
  async up(knex) {
    if (!(await knex.schema.hasTable('rounds'))) return;
    if (!(await knex.schema.hasColumn('rounds', 'status'))) return;
    if (await knex.schema.hasColumn('rounds', 'state')) {
      await knex('rounds').whereNull('state').update({ state: knex.ref('status') });
      await knex.schema.alterTable('rounds', (table) => table.dropColumn('status'));
      return;
    }
    await knex.schema.alterTable('rounds', (table) => table.renameColumn('status', 'state'));
  },

  async down() {
    throw new Error('round-state cannot be undone: restore a backup taken before the upgrade');
  },
};
