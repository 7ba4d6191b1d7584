import { describe, expect, it } from 'vitest';
import { linkId, linkIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { podvmTunnelMtu } from './podvmTunnelMtu.ts';

describe('podvm-tunnel-mtu', () => {
  it('raises nothing at 1450', () => {
    expect(podvmTunnelMtu.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });

  it("flags the pod VM's tunnel above 1450, with the MTU cloud-api-adaptor gives it", () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').mtu = 8950;
    const [f] = podvmTunnelMtu.run(new SnapshotIndex(snap));
    expect(f).toMatchObject({ severity: 'warning', subjects: [linkId(snap, SEED.podns, 'vxlan0')] });
    expect(f?.fix).toBe('ip netns exec hl-seed-podns ip link set dev vxlan0 mtu 1450');
  });
});
