/** The manifest's own format version: a restore refuses a manifest it does not know. */
export const MANIFEST_FORMAT = 1;

/** One table as the backup saw it: its row count and an order-independent checksum of its rows. */
export type TableStats = { table: string; rows: number; checksum: string };

/** Written beside the dump once the upload completed: what a verification and a restore check against. */
export type BackupManifest = {
  formatVersion: typeof MANIFEST_FORMAT;
  id: string;
  engine: 'postgresql' | 'sqlite';
  serverVersion: string;
  /** pg_dump's own version line, or the SQLite library's. */
  tool: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  object: { key: string; bytes: number; sha256: string; encryption: 'AES-256-GCM, 1 MiB frames, HKDF-SHA256 per-object key (format 1)' };
  /** Plaintext dump size. */
  dumpBytes: number;
  tables: TableStats[];
};

/** Written after the backup was restored into a scratch database and compared with its manifest. */
export type BackupVerification = {
  ok: boolean;
  checkedAt: string;
  durationMs: number;
  /** The stored object's SHA-256 and size equal the manifest's. */
  objectIntact: boolean;
  /** Tables whose rows or checksum differ (or that are missing) after the restore. */
  mismatches: { table: string; expected: Omit<TableStats, 'table'> | null; found: Omit<TableStats, 'table'> | null }[];
  error?: string;
};

export type BackupStatus = 'verified' | 'verification-failed' | 'unverified';

/** A backup as lists show it: only backups with a manifest (a complete upload) are listed at all. */
export type BackupSummary = {
  id: string;
  status: BackupStatus;
  createdAt: string;
  bytes: number;
  durationMs: number;
  engine: BackupManifest['engine'];
  tables: number;
  rows: number;
  verification: Pick<BackupVerification, 'ok' | 'checkedAt' | 'durationMs' | 'error'> & { mismatches: number } | null;
};

/** Compares two sets of table statistics; an empty list means equal. */
export function compareTables(expected: TableStats[], found: TableStats[]): BackupVerification['mismatches'] {
  const byName = new Map(found.map((table) => [table.table, table]));
  const mismatches: BackupVerification['mismatches'] = [];
  for (const table of expected) {
    const other = byName.get(table.table);
    byName.delete(table.table);
    if (!other || other.rows !== table.rows || other.checksum !== table.checksum) {
      mismatches.push({ table: table.table, expected: { rows: table.rows, checksum: table.checksum }, found: other ? { rows: other.rows, checksum: other.checksum } : null });
    }
  }
  for (const extra of byName.values()) mismatches.push({ table: extra.table, expected: null, found: { rows: extra.rows, checksum: extra.checksum } });
  return mismatches;
}

export function summarise(manifest: BackupManifest, verification: BackupVerification | null): BackupSummary {
  return {
    id: manifest.id,
    status: !verification ? 'unverified' : verification.ok ? 'verified' : 'verification-failed',
    createdAt: manifest.startedAt,
    bytes: manifest.object.bytes,
    durationMs: manifest.durationMs,
    engine: manifest.engine,
    tables: manifest.tables.length,
    rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
    verification: verification
      ? { ok: verification.ok, checkedAt: verification.checkedAt, durationMs: verification.durationMs, error: verification.error, mismatches: verification.mismatches.length }
      : null,
  };
}

/** Backup ids: a UTC time stamp first (so they sort by age), then what made them. */
export const BACKUP_ID = /^\d{8}T\d{6}Z-[a-z0-9-]{1,40}$/;
export const backupIdFor = (at: Date, origin: string) => `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}-${origin}`;
export const backupTime = (id: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
};
