import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packParts, unpackParts, type PackedParts } from './packedParts.ts';
import type { SnapshotParts } from './snapshotParts.ts';

const hash = (c: string): string => c.repeat(64);
const parts: SnapshotParts = {
  hosts: [
    { hash: hash('a'), json: '{"name":"node-a"}' },
    { hash: hash('b'), json: '{"name":"node-b"}' },
  ],
  pods: [{ hash: hash('c'), json: '[{"name":"web"}]' }],
  kube: [{ hash: hash('d'), json: '{"services":[]}' }],
  times: [0, 'kept as written'],
  stats: [
    [0, 0, 1, 5, 700, 0, 3, 2, 9, 0, 0],
    [1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0],
  ],
};

describe('packed parts', () => {
  it('give back every part, hash, time and counter row, short rows short', () => {
    const back = unpackParts(packParts(parts));
    const plain = (ps: SnapshotParts['hosts'] | ReturnType<typeof unpackParts>['hosts']): unknown[] =>
      ps.map((p) => ({ hash: p.hash, json: 'gz' in p ? gunzipSync(p.gz).toString('utf8') : p.json }));
    expect(plain(back.hosts)).toEqual(parts.hosts);
    expect(plain(back.pods)).toEqual(parts.pods);
    expect(plain(back.kube)).toEqual(parts.kube);
    expect(back.times).toEqual(parts.times);
    expect(back.stats).toEqual(parts.stats);
  });

  it('are a handful of values however many parts there are', () => {
    const many: SnapshotParts = {
      ...parts,
      hosts: Array.from({ length: 5000 }, (_, i) => ({ hash: hash('e'), json: `{"i":${i}}` })),
    };
    const packed = packParts(many);
    expect(Object.keys(packed)).toHaveLength(6);
    expect(packed.ends).toHaveLength(5002);
    expect(unpackParts(packed).hosts[4999]).toMatchObject({ hash: hash('e') });
  });

  it('refuse what they could not give back exactly', () => {
    expect(() => packParts({ ...parts, hosts: [{ hash: 'short', json: '{}' }] })).toThrow(/hash of 5 characters/);
    expect(() => packParts({ ...parts, stats: [Array.from({ length: 13 }, () => 1)] })).toThrow(/13 values/);
    const packed = packParts(parts);
    const torn: PackedParts = { ...packed, hashes: packed.hashes.slice(64) };
    expect(() => unpackParts(torn)).toThrow(/do not add up/);
  });
});
