/** Finding the entries a request made, in the account tests (each request carries an X-Request-Id of its own). */
import type { Core } from '@strapi/strapi';
import { expect } from 'vitest';
import type { LedgerService } from '../services/ledger';
import type { EntryRow } from '../utils/entry';
import { ENTRIES_TABLE } from '../utils/schema';

const RUN = Date.now().toString(36);
let requests = 0;

export type Diff = { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
export const diffOf = (row: EntryRow) => JSON.parse(row.diff) as Diff;

export function requestEntries(strapi: Core.Strapi) {
  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  /** Every password, token value and email a test used: none may appear in any entry. */
  const secrets: string[] = [];
  const entriesOf = async (id: string) => (await strapi.db.connection(ENTRIES_TABLE).where({ request_id: id }).orderBy('seq', 'asc')) as EntryRow[];

  return {
    run: RUN,
    secrets,
    entriesOf,
    /** A request id of its own for each request: the entries a request made are found by it. */
    requestId: () => `acct-${RUN}-${(requests += 1)}`,
    /** The one entry request `id` made. */
    async onlyEntry(id: string) {
      const rows = await entriesOf(id);
      expect(rows).toHaveLength(1);
      return rows[0];
    },
    /** Makes the entries matching `when` (SQL over NEW.) impossible to write, for the length of `task`. */
    async refusingEntries(when: string, task: () => Promise<void>) {
      const knex = strapi.db.connection;
      if (isPostgres()) {
        await knex.raw(`CREATE TRIGGER audit_test_refuse_account BEFORE INSERT ON ${ENTRIES_TABLE} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION audit_trail_refuse_change()`);
      } else {
        await knex.raw(`CREATE TRIGGER audit_test_refuse_account BEFORE INSERT ON ${ENTRIES_TABLE} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
      }
      try {
        await task();
      } finally {
        await knex.raw(isPostgres() ? `DROP TRIGGER audit_test_refuse_account ON ${ENTRIES_TABLE}` : 'DROP TRIGGER audit_test_refuse_account');
      }
    },
    /** No secret used is in any entry, and the chain still verifies. */
    async expectNoSecrets() {
      const everything = JSON.stringify(await strapi.db.connection(ENTRIES_TABLE).select('*'));
      expect(secrets.length).toBeGreaterThan(5);
      for (const secret of secrets) expect(everything).not.toContain(secret);
      expect(await (strapi.plugin('audit-trail').service('ledger') as LedgerService).verify()).toMatchObject({ ok: true });
    },
  };
}
