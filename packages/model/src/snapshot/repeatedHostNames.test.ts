import { describe, expect, it } from 'vitest';
import { DUMP_FORMAT } from '../schema/formats.ts';
import { SchemaError } from '../schema/validate.ts';
import { seedBroken } from '../testing/seedFixtures.ts';
import { readDump } from './readDump.ts';
import { readSnapshot } from './readSnapshot.ts';
import { repeatedHostNames } from './repeatedHostNames.ts';

/** The broken seed with its pod VM renamed after the worker: one name, two hosts. */
function twoWorkers(): ReturnType<typeof seedBroken> {
  const s = seedBroken();
  const [worker, vm] = s.hosts;
  vm!.name = worker!.name;
  return s;
}

describe('hosts of one name', () => {
  it('are told by position, each repeat once', () => {
    expect(repeatedHostNames([{ name: 'a' }, { name: 'b' }, { name: 'a' }, { name: 'a' }])).toEqual([
      `/hosts/2/name "a" is also /hosts/0's: each host needs a name of its own`,
      `/hosts/3/name "a" is also /hosts/0's: each host needs a name of its own`,
    ]);
    expect(repeatedHostNames(Array.from({ length: 20 }, () => ({ name: 'x' })))).toHaveLength(19);
    expect(repeatedHostNames(seedBroken().hosts)).toEqual([]);
  });

  it('are refused in a snapshot and in a dump: the pod VM read as the worker made false findings', () => {
    const s = twoWorkers();
    expect(() => readSnapshot(JSON.parse(JSON.stringify(s)))).toThrow(SchemaError);
    expect(() => readSnapshot(JSON.parse(JSON.stringify(s)))).toThrow(`/hosts/1/name "${s.hosts[0]!.name}" is also`);
    const dump = { kind: 'hoplens-dump', format: DUMP_FORMAT, createdAt: s.createdAt, hosts: s.hosts };
    expect(() => readDump(JSON.parse(JSON.stringify(dump)))).toThrow('invalid dump: /hosts/1/name');
    expect(readSnapshot(JSON.parse(JSON.stringify(seedBroken()))).hosts).toHaveLength(2);
  });
});
