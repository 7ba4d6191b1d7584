import { describe, expect, it } from 'vitest';
import { hookTable } from '../../testing/hookTable.ts';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { v6Router } from '../../testing/v6Router.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/** A FORWARD chain whose policy drops everything. */
const forwardDrop = hookTable('fw', 'forward', 'drop');

const dropped = (r: ReturnType<typeof trace>) => r.hops.find((h) => h.verdict !== 'ok');

describe("a route's own MTU", () => {
  it("refuses a namespace's own DF packet over its route's MTU at send, and fragments one without DF", () => {
    const t = twoLinkRouter();
    t.pod.ns.routes = [
      { family: 'inet', table: 'main', type: 'unicast', dst: 'default', gateway: '10.244.1.1', dev: 'eth0', mtu: 1400 },
    ];
    const index = new SnapshotIndex(t.b.snapshot());
    const df = trace(index, t.pod.ref, '10.250.0.1', { size: 1400, df: true });
    expect(df.verdict).toBe('dropped');
    expect(dropped(df)).toMatchObject({
      interface: 'eth0',
      dropReason: 'EMSGSIZE',
      reason:
        "a 1428-byte packet with Don't Fragment set exceeds the MTU 1400 its route sets (eth0's is 1500): the kernel refuses it (fragmentation needed)",
    });
    expect(trace(index, t.pod.ref, '10.250.0.1', { size: 1400 }).verdict).toBe('delivered');
    expect(trace(index, t.pod.ref, '10.250.0.1', { size: 1372, df: true }).verdict).toBe('delivered');
  });

  it('drops a forwarded DF packet over the route MTU where it came in (ip_forward), locked or not', () => {
    const t = twoLinkRouter();
    t.b.route(t.node, '10.250.0.0/24', { gateway: '192.168.50.2', dev: 'ens3', mtu: 1400 });
    t.node.ns.routes = t.node.ns.routes.filter((r) => r.dst !== '10.250.0.1');
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { size: 1400, df: true });
    expect(dropped(result)).toMatchObject({ host: 'node', interface: 'vp', dropReason: 'PKT_TOO_BIG' });
  });

  it('drops a forwarded DF packet over the route MTU before the FORWARD hook, whose drop meets only what fits', () => {
    const t = twoLinkRouter();
    t.b.route(t.node, '10.250.0.0/24', { gateway: '192.168.50.2', dev: 'ens3', mtu: 1400 });
    t.node.ns.routes = t.node.ns.routes.filter((r) => r.dst !== '10.250.0.1');
    t.node.ns.firewall = { nftables: [forwardDrop], iptables: [], ipsets: [], gaps: [] };
    const index = new SnapshotIndex(t.b.snapshot());
    const big = trace(index, t.pod.ref, '10.250.0.1', { size: 1400, df: true });
    expect(dropped(big)).toMatchObject({ component: 'routing', interface: 'vp', dropReason: 'PKT_TOO_BIG' });
    expect(dropped(big)?.reason).toContain('ip_forward refuses it (fragmentation needed) before the FORWARD hook');
    const small = trace(index, t.pod.ref, '10.250.0.1', { size: 1400 });
    expect(dropped(small)).toMatchObject({ component: 'netfilter', dropReason: 'NETFILTER_DROP' });
  });

  it('holds a forwarded IPv6 packet to the device in ip6_forward unless locked, then to the route in ip6_fragment', () => {
    const t = v6Router();
    t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
    t.b.route(t.r, 'fd00:c::2/128', { dev: 'rc', mtu: 1400 });
    const open = trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2', { size: 1400 });
    expect(dropped(open)).toMatchObject({ interface: 'ra', dropReason: 'NOT_SPECIFIED' });
    expect(dropped(open)?.reason).toContain('ip6_fragment answers Packet Too Big');
    t.r.ns.routes = t.r.ns.routes.map((r) => (r.dst === 'fd00:c::2/128' ? { ...r, mtuLock: true } : r));
    const locked = trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2', { size: 1400 });
    expect(dropped(locked)).toMatchObject({ interface: 'ra', dropReason: 'PKT_TOO_BIG' });
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2', { size: 1300 }).verdict).toBe('delivered');
  });

  it('drops a forwarded IPv6 packet over the device MTU, DF or not: a router never fragments IPv6', () => {
    const t = v6Router();
    t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
    t.r.ns.links.find((l) => l.name === 'rc')!.mtu = 1280;
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2', { size: 1300 });
    expect(dropped(result)).toMatchObject({ interface: 'ra', dropReason: 'PKT_TOO_BIG' });
  });
});
