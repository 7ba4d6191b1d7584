import { describe, expect, it } from 'vitest';
import { SchemaError } from '../schema/validate.ts';
import { seedFixed } from '../testing/seedFixtures.ts';
import { isStoredSnapshot, readSnapshot, readStoredSnapshot, SnapshotFormatError } from './readSnapshot.ts';

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

  it('refuses a field the format does not define, anywhere, naming it', () => {
    const snap = seedFixed() as unknown as Record<string, unknown> & { hosts: Record<string, unknown>[] };
    snap.hosts[0]!.junk = { deeper: 'x'.repeat(1000) };
    expect(() => readSnapshot(snap)).toThrow('invalid snapshot: /hosts/0/junk is not a field of this format');
    const top = { ...seedFixed(), extra: 1 };
    expect(() => readSnapshot(top)).toThrow('/extra is not a field of this format');
  });

  it('refuses a creation time that is not a time, and a source label past 200 characters', () => {
    expect(() => readSnapshot({ ...seedFixed(), createdAt: '9999999999' })).toThrow(/\/createdAt/);
    expect(() => readSnapshot({ ...seedFixed(), source: 's'.repeat(201) })).toThrow(/\/source/);
    expect(() => readSnapshot({ ...seedFixed(), source: '' })).toThrow(/\/source/);
  });

  it('refuses a creation time in the future, beyond a few minutes of clock skew', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(() => readSnapshot({ ...seedFixed(), createdAt: '9999-12-31T23:59:59Z' }, { now })).toThrow(
      'invalid snapshot: /createdAt 9999-12-31T23:59:59Z is in the future',
    );
    expect(readSnapshot({ ...seedFixed(), createdAt: '2026-06-01T12:04:00Z' }, { now }).createdAt).toBe(
      '2026-06-01T12:04:00Z',
    );
  });

  it('still reads a snapshot stored with unknown fields, without them', () => {
    const stored = { ...seedFixed(), extra: 'x'.repeat(100) } as unknown as { hosts: Record<string, unknown>[] };
    stored.hosts[0]!.junk = 1;
    const read = readStoredSnapshot(stored) as unknown as Record<string, unknown> & {
      hosts: Record<string, unknown>[];
    };
    expect(read.extra).toBeUndefined();
    expect(read.hosts[0]!.junk).toBeUndefined();
    expect(read.hosts[0]!.name).toBe('worker');
  });

  it('reads a snapshot its store vouches was checked as it is, checking only its format', () => {
    const stored = { ...seedFixed(), extra: 1 };
    expect(isStoredSnapshot(stored)).toBe(false);
    expect(isStoredSnapshot(seedFixed())).toBe(true);
    // What the store vouches for is returned untouched: no schema walk, no cleaning.
    expect(readStoredSnapshot(stored, { checked: true })).toBe(stored);
    expect(() => readStoredSnapshot({ ...seedFixed(), format: 2 }, { checked: true })).toThrow(SnapshotFormatError);
  });
});
