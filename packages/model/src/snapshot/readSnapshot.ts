import Value from 'typebox/value';
import { closedSchema } from '../schema/closed.ts';
import { SNAPSHOT_FORMAT } from '../schema/formats.ts';
import { SnapshotInputSchema, SnapshotSchema, type Snapshot } from '../schema/snapshot.ts';
import { check, SchemaError, validate } from '../schema/validate.ts';
import { repeatedHostNames } from './repeatedHostNames.ts';

/** Refusal of a snapshot written in a format this build does not know. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/** How far ahead of the reader's clock a snapshot's time may be (clocks of hosts differ a little). */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Reads a snapshot from outside (a file, an import, a collector) from parsed JSON: refuses unknown
 * formats first, then checks the whole schema, unknown fields included (SnapshotInputSchema), and
 * that no two hosts share a name. With
 * `now` (ms), a time further ahead than CLOCK_SKEW_MS is refused too: it would sort first forever.
 */
export function readSnapshot(value: unknown, opts: { now?: number } = {}): Snapshot {
  checkFormat(value);
  const snapshot = validate(SnapshotInputSchema, value, 'snapshot');
  const repeated = repeatedHostNames(snapshot.hosts);
  if (repeated.length > 0) throw new SchemaError('snapshot', repeated);
  if (opts.now !== undefined && Date.parse(snapshot.createdAt) > opts.now + CLOCK_SKEW_MS)
    throw new SchemaError('snapshot', [`/createdAt ${snapshot.createdAt} is in the future`]);
  return snapshot;
}

/**
 * Reads a snapshot this server stored: snapshots stored before unknown fields were refused may
 * hold some, which are dropped here (they were never part of the format), so they stay readable.
 * `checked`: the store vouches that these are the very bytes of a snapshot that passed
 * `storedSnapshotSchema()` when it was stored (its digest matched, see the server's storedMark.ts);
 * then only the format is checked, not the schema again.
 */
export function readStoredSnapshot(value: unknown, { checked = false }: { checked?: boolean } = {}): Snapshot {
  checkFormat(value);
  if (checked) return value as Snapshot;
  // The closed schema only adds refusals to the open one: a pass is a pass of both, in one check
  // instead of two over ~10⁶ objects. Only what fails it is checked again, open, and cleaned.
  const closed = storedSnapshotSchema();
  if (check(closed, value)) return value as Snapshot;
  const snapshot = validate(SnapshotSchema, value, 'stored snapshot');
  return Value.Clean(closed, snapshot) as Snapshot;
}

/** Whether a snapshot passes what `readStoredSnapshot` checks, as it is (nothing to drop). */
export const isStoredSnapshot = (value: unknown): boolean => check(storedSnapshotSchema(), value);

/**
 * The schema a stored snapshot is checked against: the snapshot's, every object closed. A store
 * that marks a row as checked names this schema (by a hash of its JSON), so a row checked against
 * another build's schema is checked again.
 */
export const storedSnapshotSchema = (): typeof SnapshotSchema => (closedStored ??= closedSchema(SnapshotSchema));

/** Made on first use: every command that loads the model would otherwise copy the whole schema. */
let closedStored: typeof SnapshotSchema | undefined;

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
