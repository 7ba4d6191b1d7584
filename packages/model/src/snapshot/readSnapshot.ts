import Value from 'typebox/value';
import { closedSchema } from '../schema/closed.ts';
import { SNAPSHOT_FORMAT, SnapshotInputSchema, SnapshotSchema, type Snapshot } from '../schema/snapshot.ts';
import { check, SchemaError, validate } from '../schema/validate.ts';

/** Refusal of a snapshot written in a format this build does not know. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/**
 * Reads a snapshot from outside (a file, an import, a collector) from parsed JSON: refuses unknown
 * formats first, then checks the whole schema, unknown fields included (SnapshotInputSchema).
 */
export function readSnapshot(value: unknown): Snapshot {
  checkFormat(value);
  return validate(SnapshotInputSchema, value, 'snapshot');
}

/**
 * Reads a snapshot this server stored: snapshots stored before unknown fields were refused may
 * hold some, which are dropped here (they were never part of the format), so they stay readable.
 */
export function readStoredSnapshot(value: unknown): Snapshot {
  checkFormat(value);
  const snapshot = validate(SnapshotSchema, value, 'stored snapshot');
  return check(closedStored, snapshot) ? snapshot : (Value.Clean(closedStored, snapshot) as Snapshot);
}

const closedStored = closedSchema(SnapshotSchema);

function checkFormat(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchemaError('snapshot', ['/ must be a JSON object']);
  }
  const format = (value as { format?: unknown }).format;
  if (format !== SNAPSHOT_FORMAT) {
    throw new SnapshotFormatError(
      `unknown snapshot format ${JSON.stringify(format ?? null)}; this build reads format ${SNAPSHOT_FORMAT}`,
    );
  }
}
