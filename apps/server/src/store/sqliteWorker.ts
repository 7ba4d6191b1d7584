import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from './sqliteStore.ts';
import type { StoreCall, StoreReply, WireStoreError } from './sqliteWorkerProtocol.ts';

/**
 * Worker entry of SqliteWorkerStore: the SQLite file's one connection and the store's logic run
 * here, so writing a 150,000-pod snapshot (thousands of statements, a COMMIT that waits for the
 * disk) never stalls the API's event loop. Calls are answered in the order they complete.
 */
const port = parentPort;
if (!port) throw new Error('sqliteWorker.ts runs in a worker thread');
const { path, maxPages } = workerData as { path: string; maxPages?: number };

let store: SqliteStore;
try {
  store = new SqliteStore(path, maxPages === undefined ? {} : { maxPages });
  port.postMessage({ seq: 0, value: null } satisfies StoreReply);
} catch (e) {
  port.postMessage({ seq: 0, error: wireError(e) } satisfies StoreReply);
  throw e;
}

port.on('message', (call: StoreCall) => {
  void answer(call).then(
    (value) => port.postMessage({ seq: call.seq, value } satisfies StoreReply),
    (e: unknown) => port.postMessage({ seq: call.seq, error: wireError(e) } satisfies StoreReply),
  );
});

function answer(call: StoreCall): Promise<unknown> {
  switch (call.kind) {
    case 'store':
      return (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[call.method]!(...call.args);
    case 'sql':
      return call.op === 'all' ? store.sql.all(call.sql, call.params) : store.sql.run(call.sql, call.params);
    case 'integrity':
      return Promise.resolve(store.integrityCheck());
  }
}

function wireError(e: unknown): WireStoreError {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
}
