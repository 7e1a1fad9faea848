import type { Knex } from 'knex';

/** Per-recipient short links (`/l/<code>`): the code maps to the URL the campaign was saved with. */
export const LINKS_TABLE = 'crm_short_links';
/** One row per click on a short link: when, and whose message; no address, no user agent. */
export const CLICKS_TABLE = 'crm_link_clicks';
/** Every status a provider reported for a message (Twilio's callbacks, SendGrid's events), in arrival order. */
export const EVENTS_TABLE = 'crm_delivery_events';
/** Each message's furthest delivery status: what the campaign page counts. Never moves backwards. */
export const STATUS_TABLE = 'crm_delivery_status';

/**
 * Plain tables beside the outbox (`messages`), with foreign keys to it and to the campaigns, unique
 * keys that make a repeated callback a no-op, and an upsert on the status that needs a unique key a
 * content type cannot declare. Created at boot, idempotently (as plugins/ops' token tables).
 */
export async function installTrackingTables(knex: Knex) {
  // Several cms instances may boot at once on a new database: the one that loses the race finds the table made.
  const create = async (name: string, build: (table: Knex.CreateTableBuilder) => void) => {
    if (await knex.schema.hasTable(name)) return;
    try {
      await knex.schema.createTable(name, build);
    } catch (error) {
      if (!(await knex.schema.hasTable(name))) throw error;
    }
  };
  await create(LINKS_TABLE, (table) => {
    table.string('code', 16).primary();
    table.integer('message_id').unsigned().notNullable().references('id').inTable('messages').onDelete('CASCADE');
    table.integer('campaign_id').unsigned().notNullable().references('id').inTable('crm_campaigns').onDelete('CASCADE');
    table.text('url').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['message_id'], `${LINKS_TABLE}_message_idx`);
  });
  await create(CLICKS_TABLE, (table) => {
    table.increments('id');
    table.string('code', 16).notNullable().references('code').inTable(LINKS_TABLE).onDelete('CASCADE');
    table.integer('message_id').unsigned().notNullable().references('id').inTable('messages').onDelete('CASCADE');
    table.integer('campaign_id').unsigned().notNullable().references('id').inTable('crm_campaigns').onDelete('CASCADE');
    table.timestamp('clicked_at', { useTz: true }).notNullable();
    table.index(['campaign_id', 'clicked_at'], `${CLICKS_TABLE}_campaign_idx`);
    // The campaign page asks, per message, whether it was clicked.
    table.index(['message_id'], `${CLICKS_TABLE}_message_idx`);
  });
  await create(EVENTS_TABLE, (table) => {
    table.increments('id');
    table.integer('message_id').unsigned().notNullable().references('id').inTable('messages').onDelete('CASCADE');
    table.string('provider', 16).notNullable();
    table.string('status', 24).notNullable();
    table.string('error_code', 32);
    table.string('reason', 500);
    // The provider's own event id (SendGrid's sg_event_id; Twilio: sid and status): a repeat is ignored.
    table.string('provider_event_id', 200).notNullable().unique();
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.index(['message_id', 'id'], `${EVENTS_TABLE}_message_idx`);
  });
  await create(STATUS_TABLE, (table) => {
    table.integer('message_id').unsigned().primary().references('id').inTable('messages').onDelete('CASCADE');
    table.string('status', 24).notNullable();
    table.integer('rank').notNullable();
    table.string('error_code', 32);
    table.string('reason', 500);
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
}
