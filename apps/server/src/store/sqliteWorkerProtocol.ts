import type { SnapshotStore } from './snapshotStore.ts';

/** The store's methods that travel to the SQLite worker as they are (arguments and answers cloned). */
export type ForwardedMethod = Exclude<keyof SnapshotStore, 'kind' | 'onForeignPut'> | 'migrate';

/** API thread → SQLite worker. `seq` 0 is the worker's answer to opening the file. */
export type StoreCall =
  | { readonly seq: number; readonly kind: 'store'; readonly method: ForwardedMethod; readonly args: unknown[] }
  /** A statement outside the store's logic (probe results kept beside snapshots). */
  | {
      readonly seq: number;
      readonly kind: 'sql';
      readonly op: 'all' | 'run';
      readonly sql: string;
      readonly params: readonly unknown[];
    }
  | { readonly seq: number; readonly kind: 'integrity' };

/** An error as it crosses threads: its class by name, and SQLite's code (SQLITE_FULL…). */
export interface WireStoreError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/** SQLite worker → API thread, one per call. */
export type StoreReply =
  { readonly seq: number; readonly value: unknown } | { readonly seq: number; readonly error: WireStoreError };
