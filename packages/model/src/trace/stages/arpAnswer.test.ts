import { describe, expect, it } from 'vitest';
import { nsIn, SEED, seedFixed } from '../../testing/seedFixtures.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const ETH_P_ARP = 0x0806;

/** The fault-free seed, with the pod's eth0 redirect into the tunnel taking only `protocol`'s frames. */
function redirectOnly(protocol: number) {
  const snap = seedFixed();
  const pod = nsIn(snap, SEED.pod);
  const eth0 = pod.links.find((l) => l.name === 'eth0')!;
  pod.tcFilters = pod.tcFilters.map((f) => (f.ifindex === eth0.ifindex ? { ...f, protocol } : f));
  // The pod's namespace has not resolved the gateway yet: its reply asks ARP for it.
  pod.neighbors = [];
  return trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
}

describe('an ARP answer walks back to the device that asked (arp_send → the requester’s MAC)', () => {
  it('reaches the pod VM through the tunnel and both redirects when they take every frame', () => {
    const snap = seedFixed();
    // The pod VM has not resolved the gateway either: its ARP goes through the tunnel, its answer back.
    nsIn(snap, SEED.podns).neighbors = [];
    const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('delivered');
    expect(result.hops.find((h) => h.component === 'neighbor' && h.direction === 'reply')?.reason).toMatch(
      /ARP would resolve it/,
    );
    expect(redirectOnly(3).verdict).toBe('delivered');
  });

  it('is lost when the asking side’s tc redirect takes ARP into the tunnel: the neighbour fails (kernel: NEIGH_FAILED)', () => {
    const result = redirectOnly(ETH_P_ARP);
    expect(result.verdict).toBe('dropped');
    const hop = result.hops.find((h) => h.verdict !== 'ok')!;
    expect(hop).toMatchObject({
      direction: 'reply',
      component: 'neighbor',
      interface: 'eth0',
      dropReason: 'NEIGH_FAILED',
    });
    expect(hop.reason).toContain('not at eth0, which asked');
  });
});
