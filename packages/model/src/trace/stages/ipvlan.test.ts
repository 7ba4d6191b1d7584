import { describe, expect, it } from 'vitest';
import type { Firewall, JsonValue, NftTable } from '../../schema/firewall.ts';
import { hookTable } from '../../testing/hookTable.ts';
import type { TraceResult } from '../../schema/trace.ts';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/**
 * Two pods on ipvlan slaves of the node's ens3 (10.20.0.11, .12; they share ens3's MAC), whose veth
 * peer is a router (10.20.0.100) that reaches the pods by the node (10.20.0.1). Hand-built: this
 * kernel has no ipvlan module.
 */
function ipvlanNode(mode: string, flags = 'bridge') {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true, forward: true });
  const router = b.netns('router', 'router', { root: true });
  const [ens3] = b.veth(node, 'ens3', router, 'eth0');
  b.addr(node, 'ens3', '10.20.0.1/24');
  b.addr(router, 'eth0', '10.20.0.100/24');
  for (const ip of ['10.20.0.11', '10.20.0.12']) b.route(router, ip, { gateway: '10.20.0.1', dev: 'eth0' });
  const pods = [11, 12].map((n) => {
    const pod = b.netns('node', `p${n}`);
    const dev = b.stacked(pod, 'eth0', { at: node, link: ens3 }, { kind: 'ipvlan', mode, flags });
    dev.mac = ens3.mac;
    b.addr(pod, 'eth0', `10.20.0.${n}/24`);
    b.route(pod, 'default', { gateway: '10.20.0.100', dev: 'eth0' });
    return pod;
  });
  const ping = (from: string, to: string): TraceResult => {
    const index = new SnapshotIndex(b.snapshot());
    return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
  };
  return { b, node, router, pods, ping };
}
const stop = (r: TraceResult) => r.hops.find((h) => h.verdict !== 'ok');
/** A firewall read in full that has only these nftables tables. */
const nftOnly = (...nftables: NftTable[]): Firewall => ({ nftables, iptables: [], ipsets: [], gaps: [] });
/** `meta mark set 1`. */
const markSet = { mangle: { key: { meta: { key: 'mark' } }, value: 1 } };

describe('ipvlan (modelled from drivers/net/ipvlan; not on this kernel)', () => {
  it('l2 bridge: slaves resolve each other by ARP and meet through their shared master', () => {
    const t = ipvlanNode('l2');
    const result = t.ping('p11', '10.20.0.12');
    expect(result.verdict).toBe('delivered');
    expect(result.hops.some((h) => h.component === 'ipvlan' && h.reason.includes('10.20.0.12 is ipvlan eth0'))).toBe(
      true,
    );
  });

  it('l2: cannot tell, never drops, where a slave that may answer a broadcast cannot be evaluated', () => {
    const t = ipvlanNode('l2');
    // p12's firewall could not be read: whether its ARP hooks let the request in cannot be told.
    t.pods[1]!.ns.firewall = {
      nftables: [],
      iptables: [],
      ipsets: [],
      gaps: [{ family: 'all', what: 'nftables', reason: 'nft: not found' }],
    };
    // From a slave: the broadcast reaches p12, then leaves by the master, where nobody answers.
    expectUnknownStop(t.ping('p11', '10.20.0.12'), [
      'no neighbor entry for 10.20.0.12, and whether ARP gets an answer cannot be told',
    ]);
    // From the wire: the master hands the router's broadcast to p12 too, and keeps it itself.
    t.router.ns.routes = t.router.ns.routes.filter((r) => !r.dst.startsWith('10.20.0.1'));
    expectUnknownStop(t.ping('router', '10.20.0.12'), [
      'no neighbor entry for 10.20.0.12, and whether ARP gets an answer cannot be told',
    ]);
  });

  it('cannot tell, never drops, a frame for a slave whose namespace could not be read', () => {
    for (const mode of ['l2', 'l3', 'l3s']) {
      const snap = ipvlanNode(mode).b.snapshot();
      const node = snap.hosts.find((h) => h.name === 'node')!;
      node.namespaces = node.namespaces.filter((ns) => ns.name !== 'p12');
      const index = (errors: typeof node.errors) => {
        node.errors = errors;
        return new SnapshotIndex(snap);
      };
      const from = (i: SnapshotIndex) => i.namespaces.find((n) => n.ref.netns === 'router')!.ref;
      // Gone without a failure: nobody holds the address, and the node's ARP for it is unanswered.
      const gone = index([]);
      expect(trace(gone, from(gone), '10.20.0.12').verdict).toBe('dropped');
      const failed = index([{ netns: 'p12', message: 'open namespace: Permission denied' }]);
      const r = trace(failed, from(failed), '10.20.0.12');
      expect(r.verdict).toBe('unknown');
      expect(stop(r)).toMatchObject({ component: 'ipvlan', interface: 'ens3' });
      expect(stop(r)!.reason).toContain('no ipvlan slave of ens3 holds 10.20.0.12');
      expect(stop(r)!.reason).toContain('node (collected without namespace p12)');
    }
  });

  it('l2 private: slaves never hear each other', () => {
    const result = ipvlanNode('l2', 'private').ping('p11', '10.20.0.12');
    expect(stop(result)).toMatchObject({ component: 'neighbor', dropReason: 'NEIGH_FAILED' });
  });

  it('l3: no ARP on the slave; siblings meet directly, private ones do not', () => {
    expect(ipvlanNode('l3').ping('p11', '10.20.0.12').verdict).toBe('delivered');
    expect(stop(ipvlanNode('l3', 'private').ping('p11', '10.20.0.12'))).toMatchObject({
      component: 'ipvlan',
      verdict: 'dropped',
    });
  });

  it('l3: the rest is routed in the master’s namespace, and frames for a slave address reach it', () => {
    const t = ipvlanNode('l3');
    const result = t.ping('p11', '10.20.0.100');
    expect(result.verdict).toBe('delivered');
    expect(result.hops.find((h) => h.component === 'ipvlan')!.reason).toContain('routed in node/node');
  });
});

describe("ipvlan l3: sent with ip_local_out in the master's namespace", () => {
  const outputDrop = hookTable('fw', 'output', 'drop');

  it("meets the master's namespace's OUTPUT hook: a drop there drops it", () => {
    const t = ipvlanNode('l3');
    t.node.ns.firewall = nftOnly(outputDrop);
    const result = t.ping('p11', '10.20.0.100');
    expect(result.verdict).toBe('dropped');
    expect(stop(result)).toMatchObject({ component: 'netfilter', dropReason: 'NETFILTER_DROP' });
    expect(stop(result)?.netns).toBe('node');
  });

  it("arrives in the master's namespace without the pod's mark (skb_scrub_packet)", () => {
    const t = ipvlanNode('l3');
    // The pod marks its packets; the node drops marked ones at OUTPUT: a mark carried over would be dropped.
    t.pods[0]!.ns.firewall = nftOnly(hookTable('pod', 'output', 'accept', [[markSet]]));
    const node = hookTable('node', 'output', 'accept', [
      [{ match: { op: '==', left: { meta: { key: 'mark' } }, right: 1 } }, { drop: null }],
    ]);
    t.node.ns.firewall = nftOnly(node);
    expect(t.ping('p11', '10.20.0.100').verdict).toBe('delivered');
    // The node's rule does drop what the node itself marks (the rule is live).
    node.rules.unshift({
      chain: 'output',
      handle: 3,
      expr: [markSet],
    });
    expect(stop(t.ping('p11', '10.20.0.100'))).toMatchObject({ netns: 'node', dropReason: 'NETFILTER_DROP' });
  });

  it("cannot tell where the master's namespace's firewall was not read", () => {
    const t = ipvlanNode('l3');
    delete t.node.ns.firewall;
    const result = t.ping('p11', '10.20.0.100');
    expect(result.verdict).toBe('unknown');
    expect(stop(result)).toMatchObject({ component: 'netfilter', verdict: 'unknown', netns: 'node' });
  });

  it("loops back into the master's namespace for its own address, which cannot answer its slaves", () => {
    const t = ipvlanNode('l3');
    // The request arrives: the master's stack answers out of ens3, where no slave hears its ARP.
    const first = t.ping('p11', '10.20.0.1');
    expect(first.hops.some((h) => h.netns === 'node' && h.component === 'local-delivery')).toBe(true);
    expect(stop(first)).toMatchObject({ netns: 'node', component: 'neighbor', interface: 'ens3' });
    t.node.ns.sysctls!.icmpEchoIgnoreAll = 1;
    const ignored = t.ping('p11', '10.20.0.1');
    expect(ignored.verdict).toBe('dropped');
    expect(stop(ignored)?.netns).toBe('node');
    expect(stop(ignored)?.reason).toContain('icmp_echo_ignore_all');
  });
});

describe('ipvlan l3s: a slave’s packet meets the master’s PREROUTING and INPUT, none of its own', () => {
  const prerouting = hookTable('pre', 'prerouting', 'accept');

  it('is walked as in l3 where neither namespace has a PREROUTING chain', () => {
    expect(ipvlanNode('l3s').ping('router', '10.20.0.11').verdict).toBe('delivered');
  });

  it("walks the master's PREROUTING and INPUT chains, with the master as the packet's device", () => {
    const t = ipvlanNode('l3s');
    t.node.ns.firewall = nftOnly(prerouting);
    const walked = t.ping('router', '10.20.0.11');
    expect(walked.verdict).toBe('delivered');
    const handed = walked.hops.find((h) => h.component === 'ipvlan');
    expect(handed).toMatchObject({ netns: 'node', interface: 'ens3', verdict: 'ok' });
    expect(handed?.reason).toContain('handed to it after INPUT (ipvlan_nf_input)');
    // A host firewall's INPUT policy drop: what stops l3s pods' traffic in practice.
    t.node.ns.firewall = nftOnly(hookTable('in', 'input', 'drop'));
    const dropped = t.ping('router', '10.20.0.11');
    expect(dropped.verdict).toBe('dropped');
    expect(stop(dropped)).toMatchObject({ netns: 'node', interface: 'ens3', component: 'netfilter' });
    expect(stop(dropped)?.dropReason).toBe('NETFILTER_DROP');
    // The chain matches the master as the input device, not the slave.
    const byDevice = (dev: string) =>
      hookTable('in', 'input', 'accept', [
        [{ match: { op: '==', left: { meta: { key: 'iifname' } }, right: dev } }, { drop: null }],
      ]);
    t.node.ns.firewall = nftOnly(byDevice('eth0'));
    expect(t.ping('router', '10.20.0.11').verdict).toBe('delivered');
    t.node.ns.firewall = nftOnly(byDevice('ens3'));
    expect(t.ping('router', '10.20.0.11').verdict).toBe('dropped');
  });

  it("skips the slave's own hooks on the way in: its conntrack first meets the pod's reply", () => {
    const t = ipvlanNode('l3s');
    // Drop policies at the pod's PREROUTING and INPUT: the kernel never runs them for l3s ingress.
    t.pods[0]!.ns.firewall = nftOnly(hookTable('pre', 'prerouting', 'drop'), hookTable('in', 'input', 'drop'));
    const skipped = t.ping('router', '10.20.0.11');
    expect(skipped.verdict).toBe('delivered');
    expect(skipped.hops.some((h) => h.netns === 'p11' && h.component === 'netfilter')).toBe(false);
    // The pod's OUTPUT drops what its conntrack calls invalid: the echo reply is, as the request
    // never passed the pod's conntrack (it does when the walk runs the slave's whole receive).
    const invalid = { match: { op: 'in', left: { ct: { key: 'state' } }, right: 'invalid' } };
    t.pods[0]!.ns.firewall = nftOnly(hookTable('out', 'output', 'accept', [[invalid, { drop: null }]]));
    const dropped = t.ping('router', '10.20.0.11');
    expect(dropped.verdict).toBe('dropped');
    expect(stop(dropped)).toMatchObject({ netns: 'p11', component: 'netfilter', dropReason: 'NETFILTER_DROP' });
  });

  it('goes on as nobody’s where the slave is down, or cannot tell where its routing refuses the packet', () => {
    const down = ipvlanNode('l3s');
    const p11 = down.pods[0]!.ns.links.find((l) => l.name === 'eth0')!;
    p11.adminUp = false;
    // ipvlan_stop took its address out of the port: the node forwards it back out of ens3, where nobody has it.
    const lost = down.ping('router', '10.20.0.11');
    expect(lost.verdict).toBe('dropped');
    expect(stop(lost)).toMatchObject({ netns: 'node', component: 'neighbor', dropReason: 'NEIGH_FAILED' });
    // Strict rp_filter in the pod, whose way back to the router's address is a blackhole, not eth0.
    const strict = ipvlanNode('l3s');
    strict.b.route(strict.pods[0]!, '10.20.0.100/32', { type: 'blackhole' });
    strict.b.conf(strict.pods[0]!, 'all', { ipv4: { rpFilter: 1 } });
    const untold = strict.ping('router', '10.20.0.11');
    expect(untold.verdict).toBe('unknown');
    expect(stop(untold)).toMatchObject({ netns: 'node', component: 'ipvlan', verdict: 'unknown' });
    expect(stop(untold)?.reason).toContain("the slave's routing would not take the packet");
  });
});

describe('ipvlan l3 and l3s: nobody answers ARP for a slave', () => {
  it('l3 (the slave is NOARP) and l3s (the master answers for its own addresses only) leave it unanswered', () => {
    for (const mode of ['l3', 'l3s']) {
      const t = ipvlanNode(mode);
      // The router asks for the pod on the link instead of routing by the node.
      t.router.ns.routes = t.router.ns.routes.filter((r) => !r.dst.startsWith('10.20.0.1'));
      const result = t.ping('router', '10.20.0.11');
      expect(result.verdict, mode).toBe('dropped');
      expect(stop(result), mode).toMatchObject({ netns: 'router', component: 'neighbor', dropReason: 'NEIGH_FAILED' });
    }
  });
});

/** An `ip` nftables table with one NAT base chain at `hook` and the one rule given. */
const natTable = (hook: string, prio: number, rule: JsonValue[]): NftTable =>
  hookTable('nat', hook, 'accept', [rule], { family: 'ip', type: 'nat', prio });

describe('ipvlan l3s: the slave is found after the master’s PREROUTING, by the address NAT leaves', () => {
  it('takes a reply for the node that conntrack turns into one for a slave (masquerade undone) to the slave', () => {
    const t = ipvlanNode('l3s');
    // The node masquerades what leaves ens3: the pod's ping leaves as the node's, and its reply
    // comes back to 10.20.0.1, which PREROUTING's conntrack rewrites to the pod's 10.20.0.11.
    t.node.ns.firewall = nftOnly(
      natTable('postrouting', 100, [
        { match: { op: '==', left: { meta: { key: 'oifname' } }, right: 'ens3' } },
        { masquerade: null },
      ]),
    );
    const result = t.ping('p11', '10.20.0.100');
    // Walked as the kernel does it (before, the reply was routed on in the node and lost there).
    expect(result.verdict).toBe('delivered');
    const reasons = result.hops.map((h) => `${h.netns}: ${h.component}: ${h.reason}`);
    const undone = reasons.findIndex((r) => r.startsWith('node: nat: ') && r.includes('10.20.0.1 → 10.20.0.11'));
    const handed = reasons.findIndex((r) => r.startsWith('node: ipvlan: l3s mode: 10.20.0.11 belongs to ipvlan eth0'));
    expect(undone, reasons.join('\n')).toBeGreaterThan(0);
    expect(handed).toBeGreaterThan(undone);
    expect(reasons[reasons.length - 1]).toMatch(/^p11: local-delivery: /);
  });

  it("finds the slave by the address a DNAT at the node's PREROUTING leaves, to a pod or away from one", () => {
    for (const [to, dnat] of [
      ['10.20.0.1', 'the node'],
      ['10.20.0.11', 'p11'],
    ] as const) {
      const t = ipvlanNode('l3s');
      t.node.ns.firewall = nftOnly(
        natTable('prerouting', -100, [
          { match: { op: '==', left: { payload: { protocol: 'ip', field: 'daddr' } }, right: to } },
          { dnat: { addr: '10.20.0.12' } },
        ]),
      );
      const result = t.ping('router', to);
      expect(result.verdict, dnat).toBe('delivered');
      const delivered = result.hops.filter((h) => h.component === 'local-delivery');
      expect(
        delivered.map((h) => h.netns),
        dnat,
      ).toEqual(['p12', 'router']);
      // The reply leaves the node with the address the router asked, conntrack undoing the DNAT.
      const undone = result.hops.find((h) => h.direction === 'reply' && h.component === 'nat');
      expect(undone?.reason, dnat).toContain(`10.20.0.12 → ${to}`);
    }
  });

  it('takes IPv6 the same way (ip6_rcv_finish: l3mdev_ip6_rcv)', () => {
    const t = ipvlanNode('l3s');
    t.b.addr(t.node, 'ens3', 'fd00::1/64');
    t.b.addr(t.router, 'eth0', 'fd00::100/64');
    t.b.route(t.router, 'fd00::11/128', { gateway: 'fd00::1', dev: 'eth0' });
    t.b.addr(t.pods[0]!, 'eth0', 'fd00::11/64');
    t.b.route(t.pods[0]!, 'default', { gateway: 'fd00::100', dev: 'eth0' });
    t.pods[0]!.ns.firewall = nftOnly(hookTable('in', 'input', 'drop'));
    const result = t.ping('router', 'fd00::11');
    expect(result.verdict).toBe('delivered');
    const handed = result.hops.find((h) => h.component === 'ipvlan');
    expect(handed?.reason).toContain('l3s mode: fd00::11 belongs to ipvlan eth0 (node/p11)');
    // The node's INPUT sees it (the node's own neighbour discovery passes: only the pod's address is dropped).
    const toPod = { match: { op: '==', left: { payload: { protocol: 'ip6', field: 'daddr' } }, right: 'fd00::11' } };
    t.node.ns.firewall = nftOnly(hookTable('in', 'input', 'accept', [[toPod, { drop: null }]]));
    const dropped = t.ping('router', 'fd00::11');
    expect(dropped.verdict).toBe('dropped');
    expect(stop(dropped)).toMatchObject({ netns: 'node', interface: 'ens3', component: 'netfilter' });
  });

  it("hands the slave the reply as the master's conntrack rewrites it (a DNAT at the node's OUTPUT undone)", () => {
    const t = ipvlanNode('l3s');
    // A service address the node DNATs at OUTPUT only (no PREROUTING or INPUT chain): the reply's
    // source is rewritten back to 10.99.0.1 at the node's INPUT hook, before the pod gets it.
    t.node.ns.firewall = nftOnly(
      natTable('output', -100, [
        { match: { op: '==', left: { payload: { protocol: 'ip', field: 'daddr' } }, right: '10.99.0.1' } },
        { dnat: { addr: '10.20.0.100' } },
      ]),
    );
    t.b.route(t.node, '10.99.0.0/16', { gateway: '10.20.0.100', dev: 'ens3' });
    const result = t.ping('p11', '10.99.0.1');
    expect(result.verdict).toBe('delivered');
    const undone = result.hops.find(
      (h) => h.netns === 'node' && h.component === 'nat' && h.reason.includes('10.20.0.100 → 10.99.0.1'),
    );
    expect(undone, JSON.stringify(result.hops.map((h) => [h.netns, h.component, h.reason]))).toBeDefined();
    // Rewritten in the node, before the pod's own stack sees the reply.
    const podHops = result.hops.filter((h) => h.netns === 'p11');
    expect(result.hops.indexOf(undone!)).toBeLessThan(result.hops.indexOf(podHops[podHops.length - 1]!));
  });
});
