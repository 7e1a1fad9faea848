import type { Knex } from 'knex';
import { TABLES } from '../segments/tables';

/**
 * A campaign's templates as the database holds them: an object of one or both languages (`en`,
 * `es`), each an object with a text `body`, what the API already refuses to save otherwise. Held by
 * the database too, so no write around the API leaves a campaign the list and the fan-out cannot read.
 */
export const TEMPLATES_CHECK = 'crm_campaigns_templates_shape';

export async function installCampaignChecks(knex: Knex, client: string) {
  if (client === 'postgres') {
    // No `?` in the SQL: knex would take it for a binding.
    const shape = `jsonb_typeof(templates) = 'object' AND templates <> '{}'::jsonb AND (templates - 'en' - 'es') = '{}'::jsonb
      AND jsonb_path_query_array(templates, '$.*.type()') <@ '["object"]'::jsonb
      AND jsonb_path_query_array(templates, '$.*.body.type()') <@ '["string"]'::jsonb
      AND jsonb_array_length(jsonb_path_query_array(templates, '$.*.body')) = jsonb_array_length(jsonb_path_query_array(templates, '$.*'))`;
    const exists = async () => (await knex.raw(`SELECT 1 FROM pg_constraint WHERE conname = ? AND conrelid = ?::regclass`, [TEMPLATES_CHECK, TABLES.campaigns])).rows.length > 0;
    if (await exists()) return;
    try {
      // NOT VALID: a database from before the check keeps what it has; every write from now on is held to it.
      await knex.raw(`ALTER TABLE ${TABLES.campaigns} ADD CONSTRAINT ${TEMPLATES_CHECK} CHECK (templates IS NOT NULL AND ${shape}) NOT VALID`);
    } catch (error) {
      // Another cms instance booting at the same moment added it first.
      if (!(await exists())) throw error;
    }
    return;
  }
  const broken = `NEW.templates IS NULL OR NOT json_valid(NEW.templates) OR json_type(NEW.templates) <> 'object'
    OR NOT EXISTS (SELECT 1 FROM json_each(NEW.templates))
    OR EXISTS (SELECT 1 FROM json_each(NEW.templates) WHERE key NOT IN ('en', 'es') OR type <> 'object' OR json_type(value, '$.body') IS NOT 'text')`;
  for (const event of ['INSERT', 'UPDATE OF templates']) {
    await knex.raw(`
      CREATE TRIGGER IF NOT EXISTS ${TEMPLATES_CHECK}_${event === 'INSERT' ? 'insert' : 'update'} BEFORE ${event} ON ${TABLES.campaigns}
      WHEN ${broken}
      BEGIN SELECT RAISE(ABORT, 'ovation_check:${TEMPLATES_CHECK}'); END`);
  }
}
