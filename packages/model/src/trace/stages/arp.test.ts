import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../schema/trace.ts';
import { calicoNode } from '../../testing/calicoNode.ts';
import type { NetBuilder } from '../../testing/netBuilder.ts';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const ping = (t: { readonly b: NetBuilder }, from = 'pod', to = '10.250.0.1'): TraceResult => {
  const snap = t.b.snapshot();
  const index = new SnapshotIndex(snap);
  const ns = index.namespaces.find((n) => n.ref.netns === from)!;
  return trace(index, ns.ref, to);
};
const neighborHop = (r: TraceResult) => r.hops.find((h) => h.component === 'neighbor' && h.verdict !== 'ok');

describe('who answers ARP', () => {
  it('answers for a gateway nobody holds from a forwarding namespace with proxy_arp, with its own MAC', () => {
    const t = calicoNode();
    t.b.conf(t.node, 'cali0', { ipv4: { proxyArp: 1 } });
    const result = ping(t);
    expect(result.verdict).toBe('delivered');
    const hop = result.hops.find((h) => h.component === 'neighbor')!;
    expect(hop.reason).toContain(`ARP would resolve it to ${t.b.dev(t.node, 'cali0').mac}`);
  });

  it('gets no answer without proxy_arp, and says who could have answered', () => {
    const result = ping(calicoNode());
    expect(neighborHop(result)).toMatchObject({ dropReason: 'NEIGH_FAILED', interface: 'eth0' });
    expect(neighborHop(result)!.reason).toContain('node/node/cali0 does not answer for 169.254.1.1');
    expect(neighborHop(result)!.reason).toContain('proxy_arp is off');
  });

  it('cannot tell, without proxy_arp, where the proxy neighbour entries were not collected', () => {
    const t = calicoNode();
    delete t.node.ns.proxyNeighbors;
    const result = ping(t);
    expect(result.verdict).toBe('unknown');
    const hop = neighborHop(result)!;
    expect(hop).toMatchObject({ verdict: 'unknown', interface: 'eth0' });
    expect(hop.reason).toContain('proxy neighbour entries (ip neigh show proxy) were not collected');
    expect(hop.dropReason).toBeUndefined();
  });

  it('answers by a proxy neighbour entry on the device asked (or on none named), with proxy_arp off', () => {
    const t = calicoNode();
    t.node.ns.proxyNeighbors = [{ ip: '169.254.1.1', dev: 'ens3' }];
    expect(neighborHop(ping(t))!.reason).toContain('no proxy neighbour entry names it');
    t.node.ns.proxyNeighbors = [{ ip: '169.254.1.1', dev: 'cali0' }];
    expect(ping(t).verdict).toBe('delivered');
    t.node.ns.proxyNeighbors = [{ ip: '169.254.1.1' }];
    expect(ping(t).verdict).toBe('delivered');
    // Only a forwarding namespace answers for another address, by proxy_arp or by an entry.
    t.b.conf(t.node, 'cali0', { ipv4: { forwarding: 0 } });
    expect(neighborHop(ping(t))!.reason).toContain('it does not forward');
  });

  it('answers for an address on another device (weak host), unless arp_ignore=1 asks for the device asked', () => {
    const t = calicoNode({ gateway: '10.244.1.1', onLo: true });
    expect(ping(t).verdict).toBe('delivered');
    t.b.conf(t.node, 'all', { ipv4: { arpIgnore: 1 } });
    expect(neighborHop(ping(t))!.reason).toContain('ignores requests for it (arp_ignore=1');
    t.b.addr(t.node, 'cali0', '10.244.1.1/32');
    expect(ping(t).verdict).toBe('delivered');
  });

  it('with arp_ignore=2 also wants an address of the device whose subnet holds both the target and the sender', () => {
    const t = calicoNode({ gateway: '10.244.1.1' });
    t.b.addr(t.node, 'cali0', '10.244.1.1/32');
    t.b.conf(t.node, 'cali0', { ipv4: { arpIgnore: 2 } });
    expect(neighborHop(ping(t))!.reason).toContain('no address of cali0 has the sender 10.244.1.2 in its subnet too');
    // Another address of the device, not the target's own, may hold both (inet_confirm_addr).
    t.b.addr(t.node, 'cali0', '10.244.1.5/24');
    expect(ping(t).verdict).toBe('delivered');
  });

  it('with arp_filter answers only where the route back to the sender leaves by the device asked', () => {
    // The node speaks to 10.250.0.1 by ens4 from ens3's address; the gateway routes that back by ens3.
    const t = twoLinkRouter({ asymmetric: true });
    t.node.ns.routes.find((r) => r.dst === '10.250.0.1')!.prefsrc = '192.168.50.1';
    t.b.conf(t.gw, 'all', { ipv4: { arpFilter: 1 } });
    const dropped = ping(t, 'node');
    expect(neighborHop(dropped)!.reason).toContain('the route back to 192.168.50.1 leaves by ens3, not ens4');
    // arp_announce=2 makes the node ask from its own address on that link.
    t.b.conf(t.node, 'ens4', { ipv4: { arpAnnounce: 2 } });
    expect(ping(t, 'node').verdict).toBe('delivered');
  });

  it('refuses a request whose sender fails the source check', () => {
    const t = twoLinkRouter();
    t.b.addr(t.node, 'ens3', '10.244.1.2/32');
    expect(neighborHop(ping(t))!.reason).toContain('refuses the request from 10.244.1.2');
  });

  it('with ARP off (NOARP) on the sender asks nothing and sends to its own MAC, which the peer drops as not its own', () => {
    const t = twoLinkRouter();
    t.b.dev(t.pod, 'eth0').noarp = true;
    const result = ping(t);
    expect(result.verdict).toBe('dropped');
    const asked = result.hops.find((h) => h.component === 'neighbor')!;
    expect(asked.reason).toContain(`eth0 has ARP off (NOARP): nothing is asked`);
    expect(asked.reason).toContain(t.b.dev(t.pod, 'eth0').mac!);
    expect(asked.fix).toContain('link set eth0 arp on');
    expect(result.hops.find((h) => h.verdict !== 'ok')).toMatchObject({ interface: 'vp', dropReason: 'OTHERHOST' });
    // Promiscuous, vp lets the frame in for tcpdump, but ip_rcv still drops it as PACKET_OTHERHOST.
    t.b.dev(t.node, 'vp').promiscuous = true;
    expect(ping(t).hops.find((h) => h.verdict !== 'ok')).toMatchObject({ interface: 'vp', dropReason: 'OTHERHOST' });
    t.b.dev(t.node, 'vp').promiscuous = false;
    // A neighbour entry made before (or by hand) is used as it is: NOARP only shapes a new one. The
    // node's own question for the pod gets no answer from a NOARP eth0, so it needs one too.
    t.b.neighbor(t.pod, 'eth0', '10.244.1.1', t.b.dev(t.node, 'vp').mac!);
    expect(neighborHop(ping(t))!.reason).toContain('node/pod/eth0 holds 10.244.1.2 but has ARP off (NOARP)');
    t.b.neighbor(t.node, 'vp', '10.244.1.2', t.b.dev(t.pod, 'eth0').mac!);
    expect(ping(t).verdict).toBe('delivered');
  });

  it('with ARP off (NOARP) on the device asked answers no request for an address it holds', () => {
    const t = twoLinkRouter();
    t.b.dev(t.node, 'vp').noarp = true;
    const hop = neighborHop(ping(t))!;
    expect(hop).toMatchObject({ interface: 'eth0', dropReason: 'NEIGH_FAILED' });
    expect(hop.reason).toContain('node/node/vp holds 10.244.1.1 but has ARP off (NOARP): it answers no requests');
  });
});
