import Database from 'better-sqlite3';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readStoredSnapshot, type Snapshot, type SnapshotSummary } from '@hoplens/model';

/** Raised when a snapshot with this id exists already with other contents: snapshots never change. */
export class SnapshotConflictError extends Error {
  override readonly name = 'SnapshotConflictError';
}

/** The disk (or the database's size limit) is full: nothing was written. */
export class StoreFullError extends Error {
  override readonly name = 'StoreFullError';
}

/**
 * Immutable snapshots in SQLite (WAL). A snapshot is written in one transaction, so a crash leaves
 * either all of it or nothing; bodies are gzipped JSON, summaries live in columns for listing.
 */
export class SnapshotStore {
  private readonly db: Database.Database;

  /** `maxPages` caps the database size (SQLite pages), which is how tests play a full disk. */
  constructor(path: string, opts: { maxPages?: number } = {}) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a snapshot acknowledged to a client survives power loss, not only a process crash.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS snapshots (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        source TEXT NOT NULL,
        format INTEGER NOT NULL,
        summary TEXT NOT NULL,
        body BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS snapshots_created ON snapshots (created_at);
    `);
    if (opts.maxPages !== undefined) this.db.pragma(`max_page_count = ${Math.floor(opts.maxPages)}`);
  }

  /** Stores a snapshot; storing the same one again is a no-op, a different one under its id is refused. */
  put(snapshot: Snapshot, summary: SnapshotSummary): void {
    const body = gzipSync(JSON.stringify(snapshot));
    const existing = this.db
      .prepare<[string], { body: Buffer }>('SELECT body FROM snapshots WHERE id = ?')
      .get(snapshot.id);
    if (existing) {
      if (gunzipSync(existing.body).equals(gunzipSync(body))) return;
      throw new SnapshotConflictError(`snapshot ${snapshot.id} exists with other contents; snapshots are immutable`);
    }
    try {
      this.db
        .prepare('INSERT INTO snapshots (id, created_at, source, format, summary, body) VALUES (?, ?, ?, ?, ?, ?)')
        .run(snapshot.id, snapshot.createdAt, snapshot.source, snapshot.format, JSON.stringify(summary), body);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_FULL') {
        throw new StoreFullError(`the disk is full: snapshot ${snapshot.id} was not stored (nothing else was touched)`);
      }
      throw e;
    }
  }

  /** Deletes one snapshot; returns whether it existed. */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM snapshots WHERE id = ?').run(id).changes > 0;
  }

  /** SQLite's own check of the database file: "ok" when it is sound. */
  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  get(id: string): Snapshot | undefined {
    const row = this.db.prepare<[string], { body: Buffer }>('SELECT body FROM snapshots WHERE id = ?').get(id);
    return row ? readStoredSnapshot(JSON.parse(gunzipSync(row.body).toString('utf8'))) : undefined;
  }

  /** Summaries, newest first. */
  list(): SnapshotSummary[] {
    return this.db
      .prepare<[], { summary: string }>('SELECT summary FROM snapshots ORDER BY created_at DESC, id')
      .all()
      .map((r) => JSON.parse(r.summary) as SnapshotSummary);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM snapshots').get()?.n ?? 0;
  }

  close(): void {
    this.db.close();
  }
}
