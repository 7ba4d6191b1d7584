/** Runs statements inside a transaction (`?` placeholders, whatever the database). */
export interface SqlTx {
  all<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * The little the store needs of a database, so SQLite and PostgreSQL share one implementation of
 * the store's logic. `shared` transactions (writes that add) run together; an `exclusive` one
 * (deleting and freeing parts) runs alone, so nothing can pick up a part it is about to free.
 */
export interface SqlDb extends SqlTx {
  readonly dialect: 'sqlite' | 'postgres';
  tx<T>(lock: 'shared' | 'exclusive', fn: (q: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Splits a long IN list: SQLite and PostgreSQL both cap the parameters of one statement. */
export function chunks<T>(xs: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** `?, ?, ?` for an IN list of n values. */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
