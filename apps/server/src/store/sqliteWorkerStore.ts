import type { Worker } from 'node:worker_threads';
import { assetUrl } from '@hoplens/collector';
import { type CollectRun, type FindingRef, type Snapshot, type SnapshotSummary, type StoreInfo } from '@hoplens/model';
import { workerThread } from '../workerThread.ts';
import { isPacked, packedTransfer, type PackedParts } from './packedParts.ts';
import {
  MissingPartError,
  readStoredRow,
  type Part,
  type SnapshotMeta,
  type SnapshotParts,
  type StoredRow,
} from './snapshotParts.ts';
import { storedSnapshotOf } from './storedSchemaId.ts';
import {
  SnapshotConflictError,
  StoreFullError,
  type History,
  type RunOutcome,
  type SnapshotStore,
} from './snapshotStore.ts';
import type { SqlDb } from './sqlDb.ts';
import type { ForwardedMethod, StoreCall, StoreReply, WireStoreError } from './sqliteWorkerProtocol.ts';

/** The built sqliteWorker.js (apps/cli/scripts/build.ts), or the TypeScript source. */
const ENTRY = assetUrl(import.meta.url, { source: './sqliteWorker.ts', built: './sqliteWorker.js' });

/** Statements outside the store's logic, run on the worker's connection (probe results). */
export type SqlStatements = Pick<SqlDb, 'dialect' | 'all' | 'run'>;

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Call = StoreCall extends infer C ? (C extends StoreCall ? Omit<C, 'seq'> : never) : never;

/**
 * The SQLite store run in a worker thread (sqliteWorker.ts): the same store, its calls and answers
 * cloned across threads. Writing a snapshot of 5,000 nodes takes seconds of statements and a COMMIT
 * that waits on the disk; here the API's event loop goes on answering meanwhile. This is what a
 * server opens (openStore); SqliteStore is the same store on the caller's own thread.
 */
export class SqliteWorkerStore implements SnapshotStore {
  readonly kind = 'sqlite';
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private cause = 'it stopped';

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: StoreReply) => {
      const p = this.pending.get(reply.seq);
      this.pending.delete(reply.seq);
      // An idle store does not keep the process alive; one with calls in flight does.
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) p?.reject(errorOf(reply.error));
      else p?.resolve(reply.value);
    });
    worker.on('error', (e) => {
      this.cause = e.message;
    });
    worker.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`the SQLite store's thread ended: ${this.cause}`));
      this.pending.clear();
    });
  }

  /** Opens (creating and migrating) the file in a new worker thread; `maxPages` as SqliteStore's. */
  static async open(path: string, opts: { maxPages?: number } = {}): Promise<SqliteWorkerStore> {
    const worker = workerThread(ENTRY, { workerData: { path, ...opts } });
    const store = new SqliteWorkerStore(worker);
    const opened = new Promise((resolve, reject) => store.pending.set(0, { resolve, reject }));
    try {
      await opened;
    } catch (e) {
      await worker.terminate();
      throw e;
    }
    return store;
  }

  private call<T>(call: Call, transfer: ArrayBuffer[] = []): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...call, seq }, transfer);
    });
  }

  private forward<T>(method: ForwardedMethod, ...args: unknown[]): Promise<T> {
    return this.call<T>({ kind: 'store', method, args });
  }

  /** Statements on the worker's connection, for what is kept beside snapshots (probe results). */
  readonly sql: SqlStatements = {
    dialect: 'sqlite',
    all: async <R>(sql: string, params: readonly unknown[] = []) =>
      (await this.call<R[]>({ kind: 'sql', op: 'all', sql, params })).map(withBuffers),
    run: (sql: string, params: readonly unknown[] = []) => this.call<number>({ kind: 'sql', op: 'run', sql, params }),
  };

  put(snapshot: Snapshot, summary: SnapshotSummary, findings: readonly FindingRef[]): Promise<boolean> {
    return this.forward('put', snapshot, summary, findings);
  }

  putParts(
    meta: SnapshotMeta,
    parts: SnapshotParts<Part> | PackedParts,
    summary: SnapshotSummary,
    findings: readonly FindingRef[],
  ): Promise<boolean> {
    // Packed parts' buffers are handed over, not copied: a 5,000-node snapshot's ~30 MB copied
    // held the API's thread ~0.5 s, every request waiting; they are unpacked on the SQLite worker's
    // thread. The caller's parts are unusable afterwards (the import that made them is done with them).
    return this.call(
      { kind: 'store', method: 'putParts', args: [meta, parts, summary, findings] },
      isPacked(parts) ? packedTransfer(parts) : [],
    );
  }

  /** Read there, checked here: the worker thread never loads the model for it. */
  async get(id: string): Promise<Snapshot | undefined> {
    const row = await this.getRow(id);
    return row && storedSnapshotOf(readStoredRow(row));
  }

  getRow(id: string): Promise<StoredRow | undefined> {
    return this.forward('getRow', id);
  }

  summary(id: string): Promise<SnapshotSummary | undefined> {
    return this.forward('summary', id);
  }

  list(): Promise<SnapshotSummary[]> {
    return this.forward('list');
  }

  count(): Promise<number> {
    return this.forward('count');
  }

  delete(ids: readonly string[]): Promise<string[]> {
    return this.forward('delete', ids);
  }

  pin(id: string): Promise<boolean> {
    return this.forward('pin', id);
  }

  history(source?: string): Promise<History> {
    return source === undefined ? this.forward('history') : this.forward('history', source);
  }

  recordFindings(id: string, findings: readonly FindingRef[]): Promise<void> {
    return this.forward('recordFindings', id, findings);
  }

  putDerived(id: string, version: string, entries: Readonly<Record<string, Uint8Array>>): Promise<void> {
    return this.forward('putDerived', id, version, entries);
  }

  getDerived(id: string, version: string, name: string): Promise<Uint8Array | undefined> {
    return this.forward('getDerived', id, version, name);
  }

  claimRun(slot: number, startedAt: string): Promise<boolean> {
    return this.forward('claimRun', slot, startedAt);
  }

  finishRun(slot: number, outcome: RunOutcome): Promise<void> {
    return this.forward('finishRun', slot, outcome);
  }

  runs(limit: number): Promise<CollectRun[]> {
    return this.forward('runs', limit);
  }

  usage(): Promise<Omit<StoreInfo, 'retention'>> {
    return this.forward('usage');
  }

  /** As SqlStore.migrate: rewrites snapshots an older hoplens stored whole. */
  migrate(): Promise<number> {
    return this.forward('migrate');
  }

  /** SQLite's own check of the database file: "ok" when it is sound. */
  integrityCheck(): Promise<string> {
    return this.call({ kind: 'integrity' });
  }

  /** One file has no other servers writing to it. */
  onForeignPut(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    await this.forward('close');
    await this.worker.terminate();
  }
}

/** The error the store threw in the worker, as the same class here (callers tell them apart). */
function errorOf(e: WireStoreError): Error {
  const known: Record<string, new (message: string) => Error> = {
    SnapshotConflictError,
    StoreFullError,
    MissingPartError,
  };
  const Known = known[e.name];
  if (Known) return new Known(e.message);
  return Object.assign(new Error(e.message), e.code === undefined ? {} : { code: e.code });
}

/** Blobs come back from the worker as Uint8Array; the store's callers read them as Buffers. */
function withBuffers<R>(row: R): R {
  if (typeof row !== 'object' || row === null) return row;
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out))
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) out[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return out as R;
}
