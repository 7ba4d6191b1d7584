import { DumpSchema, type Dump } from '../schema/dump.ts';
import { DUMP_FORMAT } from '../schema/formats.ts';
import { SchemaError, validate } from '../schema/validate.ts';
import { SnapshotFormatError } from './readSnapshot.ts';
import { repeatedHostNames } from './repeatedHostNames.ts';
import { checkSnapshotLimits } from './snapshotLimits.ts';

/**
 * Reads a dump (or an agent's answer) from parsed JSON: refuses unknown formats first, then one
 * holding more than a snapshot may (SnapshotLimitError: counted before the schema is checked), then
 * checks it all, and that no two hosts share a name.
 */
export function readDump(value: unknown): Dump {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchemaError('dump', ['/ must be a JSON object']);
  }
  const { kind, format } = value as { kind?: unknown; format?: unknown };
  if (kind !== 'hoplens-dump') throw new SchemaError('dump', ['/kind must be "hoplens-dump"']);
  if (format !== DUMP_FORMAT) {
    throw new SnapshotFormatError(
      `unknown dump format ${JSON.stringify(format ?? null)}; this build reads format ${DUMP_FORMAT}`,
    );
  }
  checkSnapshotLimits(value);
  const dump = validate(DumpSchema, value, 'dump');
  const repeated = repeatedHostNames(dump.hosts);
  if (repeated.length > 0) throw new SchemaError('dump', repeated);
  return dump;
}
