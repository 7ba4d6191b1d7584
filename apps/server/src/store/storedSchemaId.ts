import { createHash } from 'node:crypto';
import { isStoredSnapshot, readStoredSnapshot, storedSnapshotSchema, type Snapshot } from '@hoplens/model';

let id: string | undefined;

/**
 * This build's schema for stored snapshots, named by a hash of its JSON (every keyword a check
 * reads is in it: the schema holds no refinement functions): a row marked as checked under another
 * build's schema is checked again.
 */
export const storedSchemaId = (): string =>
  (id ??= createHash('sha256').update(JSON.stringify(storedSnapshotSchema())).digest('hex').slice(0, 32));

/** The schema id to mark a snapshot's row with, when it passes this build's stored-snapshot check. */
export const schemaIdIfStored = (snapshot: Snapshot): string | undefined =>
  isStoredSnapshot(snapshot) ? storedSchemaId() : undefined;

/**
 * The snapshot of a row read by `readStoredRow`: its schema checked in full, unless the row's mark
 * says it passed this very schema when stored and the bytes are the very ones stored then.
 */
export const storedSnapshotOf = (read: { readonly value: unknown; readonly checkedWith?: string }): Snapshot =>
  readStoredSnapshot(read.value, { checked: read.checkedWith !== undefined && read.checkedWith === storedSchemaId() });
