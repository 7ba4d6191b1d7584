import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, linkIn, nsIn, seedFixed } from '../testing/seedFixtures.ts';
import { vethPeerMissing } from './vethPeerMissing.ts';

describe('veth-peer-missing', () => {
  it('flags an up veth whose peer is down, once per pair', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.a3, 'eth0').adminUp = false;
    const [f, ...rest] = vethPeerMissing.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.subjects).toEqual([linkId(snap, BRIDGED.nodeA, 'veth3'), linkId(snap, BRIDGED.a3, 'eth0')]);
    expect(f!.fix).toBe('ip netns exec hl-brdg-na-p3 ip link set dev eth0 up');
  });

  it('flags the host side of a pod that is not plugged into the node’s bridge', () => {
    const snap = bridgedOk();
    delete linkIn(snap, BRIDGED.nodeA, 'veth3').masterIfindex;
    const ns = nsIn(snap, BRIDGED.nodeA);
    ns.routes = ns.routes.filter((r) => r.dev !== 'veth3' || r.family === 'inet6');
    const [f] = vethPeerMissing.run(new SnapshotIndex(snap));
    expect(f!.subjects).toContain(linkId(snap, BRIDGED.nodeA, 'cni0'));
    expect(f!.message).toContain('is not a port of cni0');
    expect(f!.fix).toBe('ip netns exec hl-brdg-na ip link set dev veth3 master cni0');
  });

  it('notes a peer in a namespace that was not collected', () => {
    const snap = bridgedOk();
    const b = snap.hosts.find((h) => h.name === 'node-b')!;
    b.namespaces = b.namespaces.filter((n) => n.name !== BRIDGED.b3.netns);
    const [f] = vethPeerMissing.run(new SnapshotIndex(snap));
    expect(f).toMatchObject({ severity: 'info', subjects: [linkId(snap, BRIDGED.nodeB, 'veth3')] });
  });

  it('is silent on the fault-free labs (a routed veth like the seed’s ovn-k8s-pod is not detached)', () => {
    expect(vethPeerMissing.run(new SnapshotIndex(bridgedOk()))).toEqual([]);
    expect(vethPeerMissing.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });
});
