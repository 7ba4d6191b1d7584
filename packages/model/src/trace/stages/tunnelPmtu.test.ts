import { describe, expect, it } from 'vitest';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { icmpEcho } from '../packet.ts';
import { Walk } from '../walk.ts';

/**
 * A node as the lab's bridged-tunnel `underlay-mtu` builds it: br0 with the VXLAN port vx0 (MTU
 * 1450) to 10.0.0.2 over ens3, whose MTU dropped to 1400 (1364 for the inner packet).
 */
function node(opts: { bridged?: boolean } = {}) {
  const b = new NetBuilder();
  const na = b.netns('na', 'na', { root: true });
  b.link(na, 'ens3', 'device', { mtu: 1400 });
  b.addr(na, 'ens3', '10.0.0.1/24');
  const br0 = b.link(na, 'br0', 'bridge');
  b.link(na, 'vx0', 'vxlan', {
    mtu: 1450,
    vxlan: { vni: 42, remote: '10.0.0.2', local: '10.0.0.1', port: 4789, learning: true, socketNetns: na.ref },
    ...(opts.bridged === false ? {} : { masterIfindex: br0.ifindex }),
  });
  const index = new SnapshotIndex(b.snapshot());
  return { index, vx0: index.linkByName(na.ref, 'vx0')! };
}

/** What vx0 does with a frame a bridge switched to it (or its own stack sent), carrying a ping of `size` bytes. */
function send(opts: { size: number; df: boolean; switched?: boolean; bridged?: boolean }) {
  const { index, vx0 } = node(opts);
  const w = new Walk(index, 'request');
  const packet = icmpEcho({ src: '10.9.0.2', dst: '10.9.0.3', type: 'echo-request', size: opts.size, df: opts.df });
  w.transmit(vx0, {
    srcMac: '0a:58:0a:09:00:02',
    dstMac: '0a:58:0a:09:00:03',
    packet,
    switched: opts.switched ?? true,
  });
  return w.hops.find((h) => h.verdict !== 'ok');
}

describe('a VXLAN bridge port checks a switched frame against the path to its remote', () => {
  it('answers a DF packet larger than the route MTU less the outer headers with fragmentation needed', () => {
    const stop = send({ size: 1450, df: true });
    expect(stop).toMatchObject({ component: 'vxlan-encap', verdict: 'dropped', interface: 'vx0' });
    expect(stop!.reason).toContain('MTU 1400 of ens3, less 36 bytes of outer headers: 1364');
  });

  it('sends what fits, what has no DF, what its own bridge sends, and any packet from a device that is no bridge port', () => {
    for (const sent of [
      { size: 1364, df: true },
      { size: 1450, df: false },
      { size: 1450, df: true, switched: false },
      { size: 1450, df: true, bridged: false },
    ]) {
      expect(send(sent)?.component, JSON.stringify(sent)).not.toBe('vxlan-encap');
    }
  });
});
