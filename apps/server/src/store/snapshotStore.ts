import type { CollectRun, FindingRef, Snapshot, SnapshotSummary, StoreInfo } from '@hoplens/model';
import type { PackedParts } from './packedParts.ts';
import type { Part, SnapshotMeta, SnapshotParts, StoredRow } from './snapshotParts.ts';

/** Raised when a snapshot with this id exists already with other contents: snapshots never change. */
export class SnapshotConflictError extends Error {
  override readonly name = 'SnapshotConflictError';
}

/** The disk (or the database's size limit) is full: nothing was written. */
export class StoreFullError extends Error {
  override readonly name = 'StoreFullError';
}

/** A stored snapshot as history sees it: when, from where, and which findings it had. */
export interface HistoryEntry {
  readonly id: string;
  readonly createdAt: string;
  readonly source: string;
  readonly pinned: boolean;
  /** Ids of its findings in `History.keys`; null for a snapshot stored before findings were kept. */
  readonly findings: readonly number[] | null;
}

/** Stored snapshots oldest first, with the findings each had. */
export interface History {
  readonly entries: readonly HistoryEntry[];
  readonly keys: ReadonlyMap<number, FindingRef>;
}

/** A scheduled run's outcome, as written by the replica that ran it. */
export type RunOutcome = Omit<CollectRun, 'startedAt'>;

/**
 * Where snapshots live: SQLite (one file, the embedded default) or PostgreSQL (several servers on one
 * database). Both pass the same contract tests (apps/server/test/store/contract.ts). Snapshots are
 * immutable; what did not change between two snapshots is stored once.
 */
export interface SnapshotStore {
  readonly kind: StoreInfo['kind'];
  /**
   * Stores a snapshot with its summary and findings, atomically: after it resolves the snapshot
   * survives a crash. Resolves false when this very snapshot was stored already; a different one
   * under its id is a SnapshotConflictError, a full disk a StoreFullError.
   */
  put(snapshot: Snapshot, summary: SnapshotSummary, findings: readonly FindingRef[]): Promise<boolean>;
  /**
   * `put` of a snapshot already cut into its parts (by the analysis worker, off the API's thread).
   * Packed parts' buffers may be handed over to another thread: the caller must not use them after.
   */
  putParts(
    meta: SnapshotMeta,
    parts: SnapshotParts<Part> | PackedParts,
    summary: SnapshotSummary,
    findings: readonly FindingRef[],
  ): Promise<boolean>;
  get(id: string): Promise<Snapshot | undefined>;
  /** A snapshot as stored, still gzipped, for the analysis worker to read (`readStoredRow`). */
  getRow(id: string): Promise<StoredRow | undefined>;
  summary(id: string): Promise<SnapshotSummary | undefined>;
  /** Summaries, newest first. */
  list(): Promise<SnapshotSummary[]>;
  count(): Promise<number>;
  /** Deletes these snapshots and frees what no other snapshot shares; returns those that existed. */
  delete(ids: readonly string[]): Promise<string[]>;
  /** Keeps a snapshot whatever retention says; false when there is no such snapshot. */
  pin(id: string): Promise<boolean>;
  /** Every stored snapshot (or those of one source), oldest first, with its findings. */
  history(source?: string): Promise<History>;
  /** Findings of a snapshot stored before findings were kept. */
  recordFindings(id: string, findings: readonly FindingRef[]): Promise<void>;
  /**
   * Keeps what analysing a snapshot gave (its first view, its findings: gzipped JSON by name), so a
   * restarted server answers them without analysing it again. `version` names the analysis code
   * that made them (analysisVersion.ts): they replace those of another version, and nothing is kept
   * for a snapshot that is not stored (deleted meanwhile).
   */
  putDerived(id: string, version: string, entries: Readonly<Record<string, Uint8Array>>): Promise<void>;
  /** What `putDerived` kept under `name`, only if the same analysis `version` made it. */
  getDerived(id: string, version: string, name: string): Promise<Uint8Array | undefined>;
  /** Claims the scheduled run starting at `slot` (ms): false when another server has it already. */
  claimRun(slot: number, startedAt: string): Promise<boolean>;
  finishRun(slot: number, outcome: RunOutcome): Promise<void>;
  /** The latest scheduled runs, newest first. */
  runs(limit: number): Promise<CollectRun[]>;
  usage(): Promise<Omit<StoreInfo, 'retention'>>;
  /** Calls `listener` with the id of each snapshot another server stores into the same database. */
  onForeignPut(listener: (id: string) => void): () => void;
  close(): Promise<void>;
}
