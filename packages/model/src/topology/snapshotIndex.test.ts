import { describe, expect, it } from 'vitest';
import { nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from './snapshotIndex.ts';

describe('SnapshotIndex.addressesOf', () => {
  it("lists an interface's own addresses in collected order: none, one or several", () => {
    const snap = seedFixed();
    const ns = nsIn(snap, SEED.pod);
    // As collected: lo 127.0.0.1 and ::1, eth0 the pod IP and a link-local one, vxlan1 a link-local one.
    ns.addresses = ns.addresses.filter((a) => a.address !== '::1' && !a.address.startsWith('fe80::e0cf'));
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
