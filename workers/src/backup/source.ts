import path from 'path';
import type { BackupSource } from './service';

/**
 * The database the platform is configured with, read as cms/config/database.ts reads it: PostgreSQL
 * at DATABASE_URL, else the SQLite file DATABASE_FILENAME (relative to the cms folder). For the CLI,
 * which does not load Strapi; the job asks its loaded app instead.
 */
export function backupSourceFromEnv(env: NodeJS.ProcessEnv, cmsDir: string): BackupSource {
  if (env.DATABASE_URL) return { engine: 'postgresql', url: env.DATABASE_URL };
  return { engine: 'sqlite', file: path.join(cmsDir, env.DATABASE_FILENAME || '.tmp/data.db') };
}
