import knexFactory, { type Knex } from 'knex';
import type { Dialect } from '../segments/compile';

export type ScratchDatabase = { knex: Knex; drop: () => Promise<void> };

/**
 * Both databases, for code tested on tables of its own: SQLite in memory, and a schema of its own on
 * the run's PostgreSQL when there is one (`label` names it).
 */
export const scratchDatabases = (label: string): { dialect: Dialect; make: () => Promise<ScratchDatabase> }[] => [
  {
    dialect: 'sqlite',
    make: async () => {
      const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
      return { knex, drop: () => knex.destroy() };
    },
  },
  ...(process.env.DATABASE_URL
    ? [
        {
          dialect: 'postgres' as const,
          make: async () => {
            const schema = `${label}_${Date.now().toString(36)}`;
            const admin = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL });
            await admin.raw(`CREATE SCHEMA ${schema}`);
            const knex = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, searchPath: [schema], pool: { min: 0, max: 2 } });
            return {
              knex,
              drop: async () => {
                await knex.destroy();
                await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
                await admin.destroy();
              },
            };
          },
        },
      ]
    : []),
];
