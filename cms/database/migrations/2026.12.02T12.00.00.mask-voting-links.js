'use strict';

/**
 * Voting links were stored in clear: in the replies to fans who joined
 * (`sms_voting_inbound_messages.reply`, and `body` where a fan texted one back) and in round
 * notifications (`messages.body`, which editors read). A link casts the fan's vote, so every stored
 * one is masked the way the sms-voting plugin stores them now (`maskVoteLinks` in
 * plugins/sms-voting/server/src/utils/replies.ts; copied here as it is at this release, since a
 * migration must not change when the code does). A notification still queued is sent with its
 * working link all the same: the worker derives the token again from round and fan. A Twilio retry
 * of a join answered before the upgrade gets its reply with the link masked.
 */
const LINK_TOKEN = /\/vote\/[A-Za-z0-9_-]{16,64}/g;
const MASKED_LINK = '/vote/••••••••';
const PAGE = 1000;

async function maskColumn(knex, table, column) {
  if (!(await knex.schema.hasTable(table)) || !(await knex.schema.hasColumn(table, column))) return;
  for (let afterId = 0; ; ) {
    const rows = await knex(table).where('id', '>', afterId).where(column, 'like', '%/vote/%').orderBy('id').limit(PAGE).select('id', column);
    if (rows.length === 0) return;
    afterId = rows[rows.length - 1].id;
    for (const row of rows) {
      const masked = row[column].replace(LINK_TOKEN, MASKED_LINK);
      if (masked !== row[column]) await knex(table).where({ id: row.id }).update({ [column]: masked });
    }
  }
}

module.exports = {
  async up(knex) {
    await maskColumn(knex, 'sms_voting_inbound_messages', 'reply');
    await maskColumn(knex, 'sms_voting_inbound_messages', 'body');
    await maskColumn(knex, 'messages', 'body');
  },
};
