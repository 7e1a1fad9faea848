import path from 'path';
import type { Core } from '@strapi/strapi';

// DATABASE_URL selects PostgreSQL; without it the app runs on an embedded SQLite file under cms/.tmp.
const config = ({ env }: Core.Config.Shared.ConfigParams) => {
  const url = env('DATABASE_URL');
  if (url) {
    return {
      connection: {
        client: 'postgres',
        connection: {
          connectionString: url,
          ssl: env.bool('DATABASE_SSL', false)
            ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) }
            : false,
          // Only a schema other than the default is set on each new connection (one query more each time).
          schema: env('DATABASE_SCHEMA', 'public') === 'public' ? undefined : env('DATABASE_SCHEMA'),
        },
        pool: { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) },
        acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
      },
    };
  }

  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.join(__dirname, '..', '..', env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
      pool: {
        // The cms, the workers and `npm run seed` may share the file: WAL lets readers and one writer
        // work at once, and a busy timeout makes a second writer wait instead of failing.
        afterCreate(connection: { pragma(statement: string): unknown }, done: (error: Error | null, connection: unknown) => void) {
          connection.pragma('journal_mode = WAL');
          connection.pragma('busy_timeout = 15000');
          done(null, connection);
        },
      },
    },
  };
};

export default config;
