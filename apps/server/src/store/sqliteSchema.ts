import type Database from 'better-sqlite3';

const TABLES = `
  CREATE TABLE IF NOT EXISTS snapshots (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    source TEXT NOT NULL,
    format INTEGER NOT NULL,
    summary TEXT NOT NULL,
    body BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS snapshots_created ON snapshots (created_at);
  CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, body BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS finding_keys (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    ref TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS derived (
    snapshot TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (snapshot, name)
  );
  CREATE TABLE IF NOT EXISTS collection_runs (
    slot INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    outcome TEXT,
    snapshot TEXT,
    message TEXT
  );
`;

/** Columns added to the first layout's `snapshots` table (a whole gzipped snapshot per row). */
const ADDED_COLUMNS: Record<string, string> = {
  layout: 'INTEGER NOT NULL DEFAULT 1',
  findings: 'BLOB',
  pinned_at: 'TEXT',
  /** The mark that the snapshot was checked when stored (storedMark.ts); NULL: check it on load. */
  checked: 'TEXT',
};

/**
 * Brings a database file to the current tables and columns, whatever hoplens wrote it. Rows stored
 * whole by an older hoplens stay readable as they are; `SqlStore.migrate` then rewrites them as
 * manifests of shared parts.
 */
export function migrateSqlite(db: Database.Database): void {
  db.exec(TABLES);
  const columns = new Set((db.pragma('table_info(snapshots)') as { name: string }[]).map((c) => c.name));
  for (const [name, type] of Object.entries(ADDED_COLUMNS)) {
    if (!columns.has(name)) db.exec(`ALTER TABLE snapshots ADD COLUMN ${name} ${type}`);
  }
  db.exec('CREATE INDEX IF NOT EXISTS snapshots_source ON snapshots (source, created_at)');
}
