import { describe, expect, it } from 'vitest';
import type { Neighbor } from '../schema/inventory.ts';
import { linkIn, nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from './snapshotIndex.ts';

describe('SnapshotIndex.addressesOf', () => {
  it("lists an interface's own addresses in collected order: none, one or several", () => {
    const snap = seedFixed();
    const ns = nsIn(snap, SEED.pod);
    // As collected: lo 127.0.0.1 and ::1, eth0 the pod IP and a link-local one, vxlan1 a link-local one.
    // (vxlan1's comes from its random MAC: dropped by device.)
    const vxlan1 = linkIn(snap, SEED.pod, 'vxlan1').ifindex;
    ns.addresses = ns.addresses.filter((a) => a.address !== '::1' && a.ifindex !== vxlan1);
    // Another device's address between two of eth0's, which must not be listed.
    ns.addresses.splice(ns.addresses.length - 1, 0, {
      ifindex: 1,
      family: 'inet6',
      address: '::1',
      prefixlen: 128,
      scope: 'host',
    });
    const index = new SnapshotIndex(snap);
    const at = (name: string): string[] => index.addressesOf(index.linkByName(SEED.pod, name)!);
    expect(at('eth0')).toEqual([SEED.podIp, 'fe80::858:aff:fe84:22e']);
    expect(at('lo')).toEqual(['127.0.0.1', '::1']);
    ns.addresses = ns.addresses.filter((a) => a.address !== '::1');
    expect(at('lo')).toEqual(['127.0.0.1']);
    expect(at('vxlan1')).toEqual([]);
    // Each call a list of its own: the graph keeps them, so none may be shared.
    expect(at('lo')).not.toBe(at('lo'));
  });
});

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

  for (const count of [2, 40]) {
    it(`answers a repeated entry (a hand-made dump) with the first one listed, among ${count}`, () => {
      // The kernel keeps one entry per device and address; a dump may still list two. The scan of a
      // small table and the map of a big one must agree on which one the walk then uses.
      const repeated = (mac: string): Neighbor => ({ ip: '10.9.2.1', dev: 'eth1', mac, state: ['PERMANENT'] });
      const { at } = withEntries(count, [repeated('02:00:00:00:0b:01'), repeated('02:00:00:00:0b:02')]);
      expect(at('eth1', '10.9.2.1')).toBe('02:00:00:00:0b:01');
    });
  }
});
