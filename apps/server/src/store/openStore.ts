import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PostgresStore } from './postgresStore.ts';
import type { SnapshotStore } from './snapshotStore.ts';
import { SqliteWorkerStore } from './sqliteWorkerStore.ts';

/** Whether `--db` names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//.test(db);

/**
 * Opens the store `--db` names: a `postgres://…` URL is PostgreSQL, anything else a SQLite file
 * (created with its folder, and migrated from what an older hoplens wrote), served by a worker
 * thread so that writing a large snapshot never stalls the API.
 */
export async function openStore(db: string, opts: { onError?: (e: Error) => void } = {}): Promise<SnapshotStore> {
  if (isPostgresUrl(db)) return PostgresStore.open(db, opts);
  if (db !== ':memory:') mkdirSync(dirname(db), { recursive: true });
  const store = await SqliteWorkerStore.open(db);
  await store.migrate();
  return store;
}
