import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import type { BackupSource } from '../backup/service';
import { knexFor, type Knex } from '../durable/strapi-db';
import { PermanentJobError } from '../errors';
import { databaseSources, type MetricSources } from '../observability/metrics';
import { auditTrail, type AuditedOperation } from './audit';
import { CMS_DIR } from './strapi';

/** Records an operation in the audit trail, by the job acting now. */
export type AuditRecorder = { record(operation: AuditedOperation): Promise<unknown> };

/**
 * What a worker reaches of the app. Jobs that use the app's services (the outbox, the rounds) need
 * Strapi loaded; the others (backups) need only its database, and a worker that runs only those
 * opens the database as the cms's own config describes it and never loads Strapi: it starts in a
 * second and stays near 150 MB instead of 330.
 */
export type AppRuntime = {
  /** Loaded where a job this worker runs needs the app's services. */
  strapi?: Core.Strapi;
  postgres: boolean;
  /** The query builder for the job store: inside Strapi, the transaction in progress if any. */
  knex(): Promise<Knex>;
  /** The app's database, as a backup takes it. */
  source: BackupSource;
  /** The audit trail where it is in use, recording as `job`. */
  audit(job: string): AuditRecorder | undefined;
  /** Gauges only this process can serve (the cms's bootstrap serves them where Strapi is loaded). */
  metricSources: MetricSources;
  destroy(): Promise<void>;
};

type ConnectionConfig = {
  client: string;
  connection: { connectionString?: string; filename?: string; schema?: string };
  [option: string]: unknown;
};

/** The database a connection config points at, for a backup. */
function sourceOf(config: ConnectionConfig): BackupSource {
  if (config.client === 'postgres') {
    const url = config.connection.connectionString ?? process.env.DATABASE_URL;
    if (!url) throw new PermanentJobError('Backups need the database as a URL (DATABASE_URL)');
    return { engine: 'postgresql', url };
  }
  return { engine: 'sqlite', file: path.resolve(config.connection.filename as string) };
}

/** The app as Strapi loaded it (headless, `loadStrapi`): its services, database and plugins. */
export function strapiRuntime(app: Core.Strapi): AppRuntime {
  const config = app.db.config.connection as ConnectionConfig;
  return {
    strapi: app,
    postgres: app.db.dialect.client === 'postgres',
    knex: () => knexFor(app),
    get source() {
      return sourceOf(config);
    },
    // The job runs as itself (the consumer's `asJob`): the ledger takes the actor from there.
    audit: () => auditTrail(app),
    metricSources: {},
    destroy: () => app.destroy(),
  };
}

/**
 * The cms's database connection settings, from its compiled config (cms/config/database.ts) and
 * its .env, read with Strapi's own env helper (that module alone: the package's index costs 40 MB).
 */
function cmsDatabaseConfig(): ConnectionConfig {
  const envFile = process.env.ENV_PATH ?? path.join(CMS_DIR, '.env');
  // As Strapi reads it: variables already set win.
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  const module = require(path.join(CMS_DIR, 'dist', 'config', 'database.js'));
  return (module.default ?? module)({ env: cmsEnv() }).connection as ConnectionConfig;
}

/** Strapi's env helper (`env('X', fallback)`, `env.int`…), for the cms's config read without Strapi. */
export const cmsEnv = () => require('@strapi/utils/dist/env-helper.js');

type ChainModule = {
  recordOperation(knex: Knex, options: { postgres: boolean; actor: { kind: 'job'; name: string } }, operation: AuditedOperation): Promise<unknown>;
};

/** The audit trail's chain (plugins/audit-trail `chain`), where that plugin is installed. */
function auditChain(): ChainModule | undefined {
  try {
    return require('@ovation/plugin-audit-trail/chain') as ChainModule;
  } catch {
    return undefined;
  }
}

/** The app's database alone, through Strapi's own connection factory (knex), without loading Strapi. */
export function databaseRuntime(): AppRuntime {
  const config = cmsDatabaseConfig();
  const { createConnection } = require('@strapi/database/dist/connection.js') as { createConnection(config: unknown): Knex };
  const schema = config.connection.schema;
  const knex = createConnection({ ...config, ...(schema ? { searchPath: [schema] } : {}) });
  const postgres = config.client === 'postgres';
  const chain = auditChain();
  return {
    postgres,
    knex: async () => knex,
    source: sourceOf(config),
    audit: (job) => chain && { record: (operation) => chain.recordOperation(knex, { postgres, actor: { kind: 'job', name: job } }, operation) },
    metricSources: databaseSources(knex),
    destroy: () => knex.destroy(),
  };
}
