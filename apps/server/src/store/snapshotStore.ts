import Database from 'better-sqlite3';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readSnapshot, type Snapshot, type SnapshotSummary } from '@hoplens/model';

/** Raised when a snapshot with this id exists already with other contents: snapshots never change. */
export class SnapshotConflictError extends Error {
  override readonly name = 'SnapshotConflictError';
}

/**
 * Immutable snapshots in SQLite (WAL). A snapshot is written in one transaction, so a crash leaves
 * either all of it or nothing; bodies are gzipped JSON, summaries live in columns for listing.
 */
export class SnapshotStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
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
    this.db
      .prepare('INSERT INTO snapshots (id, created_at, source, format, summary, body) VALUES (?, ?, ?, ?, ?, ?)')
      .run(snapshot.id, snapshot.createdAt, snapshot.source, snapshot.format, JSON.stringify(summary), body);
  }

  get(id: string): Snapshot | undefined {
    const row = this.db.prepare<[string], { body: Buffer }>('SELECT body FROM snapshots WHERE id = ?').get(id);
    return row ? readSnapshot(JSON.parse(gunzipSync(row.body).toString('utf8'))) : undefined;
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
