import { describe, expect, it } from 'vitest';
import { DUMP_FORMAT } from '../schema/formats.ts';
import { SchemaError } from '../schema/validate.ts';
import { seedFixed } from '../testing/seedFixtures.ts';
import { readDump } from './readDump.ts';
import { SnapshotFormatError } from './readSnapshot.ts';
import { SNAPSHOT_LIMITS, SnapshotLimitError } from './snapshotLimits.ts';

const dump = (hosts: unknown[], format: unknown = DUMP_FORMAT): unknown => ({
  kind: 'hoplens-dump',
  format,
  createdAt: '2026-11-29T00:00:00.000Z',
  hosts,
});
/** A host with one error more than a host may carry, and nothing else right about it. */
const loud = { name: 7, errors: new Array(SNAPSHOT_LIMITS.errorsPerHost + 1).fill({ message: 'e' }) };

describe('readDump', () => {
  it('reads a dump of real hosts', () => {
    const hosts = seedFixed().hosts;
    expect(readDump(dump(hosts)).hosts).toEqual(hosts);
  });

  it('refuses an unknown format first, then what passes a limit, then the schema', () => {
    expect(() => readDump(dump([loud], 99))).toThrow(SnapshotFormatError);
    expect(() => readDump(dump([loud]))).toThrow(SnapshotLimitError);
    expect(() => readDump(dump([{ ...loud, errors: [] }]))).toThrow(SchemaError);
  });
});
