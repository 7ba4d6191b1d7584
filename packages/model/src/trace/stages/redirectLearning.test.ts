import { describe, expect, it } from 'vitest';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/**
 * The bridge CNI's node (cni0 10.88.0.1/24) with pods p1 (10.88.0.2) and p2 (10.88.0.3), as the
 * random faults left it (cni-plugins/bridge, seed 9080): p1 lost its subnet route (it reaches p2
 * through the node) and p1's port floods no broadcast, so p2's ARP for p1 never reaches it. The
 * kernel still delivers p1's ping: the node forwards it back out of cni0 and redirects p1 to p2,
 * and p1's ARP for p2 teaches p2 its MAC.
 */
function node(opts: { subnetRoute?: boolean; bcastFlood?: boolean } = {}) {
  const b = new NetBuilder();
  const n = b.netns('node', 'node', { root: true, forward: true });
  const br = b.link(n, 'cni0', 'bridge');
  b.addr(n, 'cni0', '10.88.0.1/24');
  const pods = [1, 2].map((i) => {
    const p = b.netns('node', `p${i}`);
    const [port] = b.veth(n, `veth${i}`, p, 'eth0');
    port.masterIfindex = br.ifindex;
    port.slave = {
      kind: 'bridge',
      state: 'forwarding',
      hairpin: false,
      flags: {
        learning: true,
        flood: true,
        mcastFlood: true,
        bcastFlood: i === 1 ? (opts.bcastFlood ?? false) : true,
        isolated: false,
      },
    };
    b.addr(p, 'eth0', `10.88.0.${i + 1}/24`);
    b.route(p, 'default', { gateway: '10.88.0.1', dev: 'eth0' });
    return p;
  });
  if (opts.subnetRoute === false) pods[0]!.ns.routes = pods[0]!.ns.routes.filter((r) => r.dst === 'default');
  return trace(new SnapshotIndex(b.snapshot()), pods[0]!.ref, '10.88.0.3');
}

describe('an answer whose way back an ICMP redirect opens', () => {
  it('cannot tell, never drops, where the request was forwarded back out of the device it came in on', () => {
    const stop = expectUnknownStop(node({ subnetRoute: false }), ['which teaches this namespace its MAC']);
    expect(stop).toMatchObject({ direction: 'reply', netns: 'p2', component: 'neighbor' });
    expect(stop.reason).toContain('its router may have sent 10.88.0.2 an ICMP redirect to 10.88.0.3');
  });

  it('is delivered as before where the sender asks for the pod itself, or the pod’s own ARP reaches it', () => {
    // With its subnet route p1 asks for p2 directly: the node forwards nothing, p2 learns p1 from
    // that request, and the ping is delivered; with flooding on, p2's own ARP reaches p1.
    expect(node().verdict).toBe('delivered');
    expect(node({ subnetRoute: false, bcastFlood: true }).verdict).toBe('delivered');
  });
});
