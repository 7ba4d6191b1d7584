import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../schema/trace.ts';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/** A node's vlan device on ens3 (VLAN 10, 10.30.0.1) and the other end's: a vlan of `peerId`, or none. */
function vlans(peerId: number | undefined) {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true });
  const sw = b.netns('sw', 'sw', { root: true });
  const [ens3, peer] = b.veth(node, 'ens3', sw, 'eth0');
  b.stacked(node, 'vl10', { at: node, link: ens3 }, { kind: 'vlan', id: 10, protocol: '802.1Q' });
  b.addr(node, 'vl10', '10.30.0.1/24');
  if (peerId === undefined) {
    b.addr(sw, 'eth0', '10.30.0.2/24');
  } else {
    b.stacked(sw, `vl${peerId}`, { at: sw, link: peer }, { kind: 'vlan', id: peerId, protocol: '802.1Q' });
    b.addr(sw, `vl${peerId}`, '10.30.0.2/24');
  }
  const index = new SnapshotIndex(b.snapshot());
  return trace(index, index.namespaces.find((n) => n.ref.netns === 'node')!.ref, '10.30.0.2');
}
const stop = (r: TraceResult) => r.hops.find((h) => h.verdict !== 'ok');

describe('vlan sub-interfaces (modelled; the 8021q module is missing on this kernel)', () => {
  it('carry tagged frames to the vlan device of the same id at the other end', () => {
    const result = vlans(10);
    expect(result.verdict).toBe('delivered');
    expect(result.hops.filter((h) => h.component === 'vlan').map((h) => h.reason)[0]).toContain('tagged VLAN 10');
  });

  it('lose frames of a VLAN the other end has no device for, or one that takes none at all', () => {
    expect(stop(vlans(20))).toMatchObject({ component: 'neighbor', dropReason: 'NEIGH_FAILED' });
    expect(stop(vlans(undefined))).toMatchObject({ component: 'neighbor', dropReason: 'NEIGH_FAILED' });
  });

  it('deliver a priority-tagged frame (VLAN 0) to a device without a vlan device, as untagged', () => {
    const b = new NetBuilder();
    const node = b.netns('node', 'node', { root: true });
    const sw = b.netns('sw', 'sw', { root: true });
    const [ens3, peer] = b.veth(node, 'ens3', sw, 'eth0');
    b.stacked(node, 'vl0', { at: node, link: ens3 }, { kind: 'vlan', id: 0, protocol: '802.1Q' });
    b.addr(node, 'vl0', '10.30.0.1/24');
    b.addr(sw, 'eth0', '10.30.0.2/24');
    b.neighbor(node, 'vl0', '10.30.0.2', peer.mac!);
    const index = new SnapshotIndex(b.snapshot());
    const r = trace(index, index.namespaces.find((n) => n.ref.netns === 'node')!.ref, '10.30.0.2');
    expect(r.hops.some((h) => h.reason === 'eth0 accepts the frame for ' + peer.mac)).toBe(true);
    expect(r.hops.some((h) => h.component === 'vlan' && h.verdict === 'dropped')).toBe(false);
  });
});
