import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

type PgClient = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> };
type Pending<Input, Row> = { input: Input; resolve(row: Row | undefined): void; reject(error: unknown): void };

export type GroupCommit<Input, Row> = {
  /** The statement's name (prepared once per connection). */
  name: string;
  /** One statement for a whole batch: it takes the batch as arrays of values and commits on its own. */
  text: string;
  /** The statement's parameters for a batch of inputs. */
  values(inputs: Input[]): unknown[];
  /** Which input a returned row answers (an input with no row gets `undefined`). */
  inputOf(row: Row): string;
  keyOf(input: Input): string;
  maxBatch?: number;
};

/**
 * The busiest writes of a live event (votes) as one prepared statement on PostgreSQL for everything
 * that arrives in the same turn of the event loop: one round trip and one commit for them all
 * (group commit). Each submission resolves with its own row, or `undefined` when the statement
 * returned none for it; a failed statement rejects every submission of its batch.
 *
 * A named statement is parsed and planned once per connection; each batch then sends only its values.
 * That needs pg's own client (`query({ name, text, values })`), which knex's public API never hands
 * out: `raw()` cannot name a statement, and `transaction()` would wrap each batch in BEGIN and COMMIT
 * (two more round trips, and the statement is atomic on its own). So the client is borrowed from the
 * pool through knex's `acquireConnection`/`releaseConnection` (the pair its own query runner uses),
 * which shares the pool's size, timeouts and health checks instead of opening a second pool.
 */
export function groupCommit<Input, Row>(strapi: Core.Strapi, statement: GroupCommit<Input, Row>) {
  const maxBatch = statement.maxBatch ?? 200;
  let queue: Pending<Input, Row>[] = [];
  let scheduled = false;

  const run = async (inputs: Input[]) => {
    const client = (strapi.db.connection as Knex).client as unknown as {
      acquireConnection(): Promise<PgClient>;
      releaseConnection(connection: PgClient): Promise<void>;
    };
    const connection = await client.acquireConnection();
    try {
      return (await connection.query({ name: statement.name, text: statement.text, values: statement.values(inputs) })).rows as Row[];
    } finally {
      await client.releaseConnection(connection);
    }
  };

  const flush = async () => {
    scheduled = false;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(maxBatch);
    if (queue.length > 0) schedule();
    try {
      const rows = await run(batch.map((pending) => pending.input));
      const byInput = new Map<string, Row>();
      for (const row of rows) if (!byInput.has(statement.inputOf(row))) byInput.set(statement.inputOf(row), row);
      for (const pending of batch) pending.resolve(byInput.get(statement.keyOf(pending.input)));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  };

  // Every submission that arrives before the event loop comes round again goes in the same statement.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };

  return (input: Input) =>
    new Promise<Row | undefined>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule();
    });
}
