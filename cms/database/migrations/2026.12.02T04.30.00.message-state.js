'use strict';

/**
 * An outbound message's `status` column becomes `state`: the Content Manager reads an attribute
 * named `status` as draft & publish's own, so the admin showed every message as "Choose here" and
 * could not save one. Strapi runs this before its schema sync, which would otherwise drop the old
 * column and add an empty new one. A database that never had the column (a fresh install) is left
 * to the sync.
 */
module.exports = {
  async up(knex) {
    if (!(await knex.schema.hasTable('messages'))) return;
    if (!(await knex.schema.hasColumn('messages', 'status')) || (await knex.schema.hasColumn('messages', 'state'))) return;
    await knex.schema.alterTable('messages', (table) => table.renameColumn('status', 'state'));
  },
};
