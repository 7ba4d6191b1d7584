import { SNAPSHOT_FORMAT, SnapshotSchema, type Snapshot } from '../schema/snapshot.ts';
import { SchemaError, validate } from '../schema/validate.ts';

/** Refusal of a snapshot written in a format this build does not know. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/** Reads a snapshot from parsed JSON: refuses unknown formats first, then checks the whole schema. */
export function readSnapshot(value: unknown): Snapshot {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchemaError('snapshot', ['/ must be a JSON object']);
  }
  const format = (value as { format?: unknown }).format;
  if (format !== SNAPSHOT_FORMAT) {
    throw new SnapshotFormatError(
      `unknown snapshot format ${JSON.stringify(format ?? null)}; this build reads format ${SNAPSHOT_FORMAT}`,
    );
  }
  return validate(SnapshotSchema, value, 'snapshot');
}
