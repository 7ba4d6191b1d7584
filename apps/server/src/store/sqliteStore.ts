import { closeSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { StoreInfo } from '@hoplens/model';
import { migrateSqlite } from './sqliteSchema.ts';
import type { SqlDb, SqlTx } from './sqlDb.ts';
import { SqlStore } from './sqlStore.ts';

/**
 * better-sqlite3 behind the async SqlDb: one connection, so statements and transactions take turns
 * (a transaction awaits between statements, and nothing else may run on the connection meanwhile).
 */
class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite';
  private turn: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly raw: Database.Database) {}

  private inTurn<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.turn.then(fn, fn);
    this.turn = next.catch(() => undefined);
    return next;
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.raw.prepare(sql)));
    return s;
  }

  private readonly direct: SqlTx = {
    all: <R>(sql: string, params: readonly unknown[] = []) => {
      const s = this.statement(sql);
      return Promise.resolve((s.reader ? s.all(...params) : (s.run(...params), [])) as R[]);
    },
    run: (sql: string, params: readonly unknown[] = []) => {
      const s = this.statement(sql);
      return Promise.resolve(s.reader ? s.all(...params).length : s.run(...params).changes);
    },
  };

  all<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.inTurn(() => this.direct.all<R>(sql, params));
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.inTurn(() => this.direct.run(sql, params));
  }

  tx<T>(_lock: 'shared' | 'exclusive', fn: (q: SqlTx) => Promise<T>): Promise<T> {
    // One connection, one transaction at a time: every transaction is exclusive here.
    return this.inTurn(async () => {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.direct);
        this.raw.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw e;
      }
    });
  }

  close(): Promise<void> {
    return this.inTurn(() => {
      this.raw.close();
    });
  }
}

/**
 * The embedded store: one SQLite file (WAL, synchronous=FULL: a snapshot acknowledged to a client
 * survives power loss, not only a process crash). Opening a file written by an older hoplens
 * migrates it in place (sqliteSchema.ts).
 */
export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite';
  private readonly raw: Database.Database;

  /** `maxPages` caps the database size (SQLite pages), which is how tests play a full disk. */
  constructor(
    private readonly path: string,
    opts: { maxPages?: number } = {},
  ) {
    // Snapshots show a cluster's insides: only the owner reads them (SQLite gives its WAL the same mode).
    if (path !== ':memory:') closeSync(openSync(path, 'a', 0o600));
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    migrateSqlite(raw);
    if (opts.maxPages !== undefined) raw.pragma(`max_page_count = ${Math.floor(opts.maxPages)}`);
    super(new SqliteDb(raw));
    this.raw = raw;
  }

  protected announce(): Promise<void> {
    return Promise.resolve();
  }

  protected isDiskFull(e: unknown): boolean {
    return (e as { code?: string }).code === 'SQLITE_FULL';
  }

  async usage(): Promise<Omit<StoreInfo, 'retention'>> {
    const pages = Number(this.raw.pragma('page_count', { simple: true }));
    const size = Number(this.raw.pragma('page_size', { simple: true }));
    let wal = 0;
    try {
      if (this.path !== ':memory:') wal = statSync(`${this.path}-wal`).size;
    } catch {
      // No WAL file right now (after a checkpoint on close): nothing to add.
    }
    return { kind: this.kind, bytes: pages * size + wal, ...(await this.counts()) };
  }

  /** SQLite's own check of the database file: "ok" when it is sound. */
  integrityCheck(): string {
    return String(this.raw.pragma('integrity_check', { simple: true }));
  }
}
