import { describe, expect, it } from 'vitest';
import type { Neighbor } from '../schema/inventory.ts';
import { nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from './snapshotIndex.ts';

describe('SnapshotIndex.neighbor', () => {
  /** The worker's root with `count` entries on eth1, then `more`: past 16 entries the index keeps a map. */
  const withEntries = (
    count: number,
    more: Neighbor[] = [],
  ): { index: SnapshotIndex; at: (dev: string, ip: string) => string | undefined } => {
    const snap = seedFixed();
    const root = nsIn(snap, SEED.worker);
    for (let i = 0; i < count; i++)
      root.neighbors.push({
        ip: `10.9.0.${i + 1}`,
        dev: 'eth1',
        mac: `02:00:00:00:09:${i.toString(16).padStart(2, '0')}`,
        state: ['REACHABLE'],
      });
    root.neighbors.push(...more);
    const index = new SnapshotIndex(snap);
    const ns = index.netns(SEED.worker)!;
    return { index, at: (dev, ip) => index.neighbor(ns, dev, ip)?.mac ?? undefined };
  };

  for (const count of [2, 40]) {
    it(`finds an entry by device and address among ${count}, and none on another device`, () => {
      const { at } = withEntries(count);
      expect(at('eth1', '10.9.0.2')).toBe('02:00:00:00:09:01');
      expect(at('eth2', '10.9.0.2')).toBeUndefined();
      expect(at('eth1', '10.9.0.250')).toBeUndefined();
    });
  }

  it('keeps a device name apart from an address, whatever characters the name holds', () => {
    const { at } = withEntries(40, [
      { ip: '10.9.1.1', dev: 'a|10.9.1.1', mac: '02:00:00:00:0a:01', state: ['REACHABLE'] },
    ]);
    expect(at('a|10.9.1.1', '10.9.1.1')).toBe('02:00:00:00:0a:01');
    expect(at('a', '10.9.1.1|10.9.1.1')).toBeUndefined();
  });
});
