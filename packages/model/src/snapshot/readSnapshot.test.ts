import { describe, expect, it } from 'vitest';
import { SchemaError } from '../schema/validate.ts';
import { seedFixed } from '../testing/seedFixtures.ts';
import { readSnapshot, SnapshotFormatError } from './readSnapshot.ts';

describe('readSnapshot', () => {
  it('refuses a format it does not know, naming it', () => {
    expect(() => readSnapshot({ ...seedFixed(), format: 2 })).toThrow(
      new SnapshotFormatError('unknown snapshot format 2; this build reads format 1'),
    );
    expect(() => readSnapshot({ hosts: [] })).toThrow(SnapshotFormatError);
  });

  it('names the path of a value of the wrong type', () => {
    const bad = seedFixed() as unknown as { hosts: { namespaces: { links: { mtu: unknown }[] }[] }[] };
    bad.hosts[0]!.namespaces[0]!.links[0]!.mtu = 'big';
    expect(() => readSnapshot(bad)).toThrow(SchemaError);
    expect(() => readSnapshot(bad)).toThrow(/\/hosts\/0\/namespaces\/0\/links\/0\/mtu/);
  });

  it('refuses what is not an object at all', () => {
    expect(() => readSnapshot([])).toThrow('must be a JSON object');
    expect(() => readSnapshot(null)).toThrow(SchemaError);
  });
});
