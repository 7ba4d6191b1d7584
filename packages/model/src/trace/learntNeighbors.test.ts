import { describe, expect, it } from 'vitest';
import { NetBuilder, type BuiltNetns } from '../testing/netBuilder.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from './trace.ts';

/**
 * A node's bridge br0 with pods a (.2, port va) and b (.3, port vb), as the lab's bridge-ports
 * scenario; b's port takes no broadcast floods. `v6` gives both pods fd00::2/::3 as well.
 */
function pods(v6 = false) {
  const b = new NetBuilder();
  const node = b.netns('n', 'node', { root: true });
  const br = b.link(node, 'br0', 'bridge');
  b.addr(node, 'br0', '10.9.0.1/24');
  const pod = (name: string, last: number): BuiltNetns => {
    const p = b.netns('n', name);
    const [port] = b.veth(node, `v${name}`, p, 'eth0');
    port.masterIfindex = br.ifindex;
    b.addr(p, 'eth0', `10.9.0.${last}/24`);
    if (v6) b.addr(p, 'eth0', `fd00::${last}/64`);
    return p;
  };
  const a = pod('a', 2);
  const bb = pod('b', 3);
  b.dev(node, 'vb').slave = {
    kind: 'bridge',
    state: 'forwarding',
    hairpin: false,
    flags: { learning: true, flood: true, mcastFlood: true, bcastFlood: false, isolated: false },
  };
  return { b, node, a, bb };
}

const ping = (t: { b: NetBuilder }, from: string, to: string) => {
  const index = new SnapshotIndex(t.b.snapshot());
  return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
};

const replyNeighbor = (r: ReturnType<typeof ping>) =>
  r.hops.find((h) => h.direction === 'reply' && h.component === 'neighbor');

describe("the reply's neighbour, learnt from the request's ARP", () => {
  it('answers b from the entry b’s ARP request left in a, though b’s port takes no broadcast', () => {
    const t = pods();
    const r = ping(t, 'b', '10.9.0.2');
    expect(r.verdict).toBe('delivered');
    const bMac = t.b.dev(t.bb, 'eth0').mac!;
    expect(replyNeighbor(r)).toMatchObject({ netns: 'a', interface: 'eth0', verdict: 'ok' });
    expect(replyNeighbor(r)!.reason).toBe(
      `10.9.0.3 is at ${bMac} (STALE): made by the ARP request from 10.9.0.3 for 10.9.0.2 earlier in this trace`,
    );
  });

  it('still drops a to b, whose own ARP request never reaches b', () => {
    expect(ping(pods(), 'a', '10.9.0.3').verdict).toBe('dropped');
  });

  it('overrides a FAILED or stale entry with another MAC, as neigh_event_ns does', () => {
    for (const state of ['FAILED', 'REACHABLE']) {
      const t = pods();
      t.b.neighbor(t.a, 'eth0', '10.9.0.3', '02:ff:00:00:00:99', state);
      const r = ping(t, 'b', '10.9.0.2');
      expect(r.verdict).toBe('delivered');
      expect(replyNeighbor(r)!.reason).toContain(
        `is at ${t.b.dev(t.bb, 'eth0').mac!} (STALE, replacing the collected ${state} entry)`,
      );
    }
  });

  it('keeps a PERMANENT entry, which no ARP request changes: a wrong MAC there is followed', () => {
    const t = pods();
    t.b.neighbor(t.a, 'eth0', '10.9.0.3', '02:ff:00:00:00:99', 'PERMANENT');
    const r = ping(t, 'b', '10.9.0.2');
    expect(replyNeighbor(r)!.reason).toBe('10.9.0.3 is at 02:ff:00:00:00:99 (PERMANENT)');
    expect(r.verdict).toBe('dropped');
  });

  it('learns in a router that answered by proxy ARP, and in the host the router asked on the way', () => {
    // b reaches x (10.9.7.2, behind router r) on-link: r answers b's ARP by proxy, and learns b.
    const t = pods();
    const r = t.b.netns('n', 'r');
    r.ns.ipForward = true;
    const [port] = t.b.veth(t.node, 'vr', r, 'eth0');
    port.masterIfindex = t.b.dev(t.node, 'br0').ifindex;
    t.b.addr(r, 'eth0', '10.9.0.254/24');
    t.b.conf(r, 'all', { ipv4: { forwarding: 1 } });
    t.b.conf(r, 'eth0', { ipv4: { forwarding: 1, proxyArp: 1 } });
    const x = t.b.netns('n', 'x');
    t.b.veth(r, 'lan0', x, 'eth0');
    t.b.addr(r, 'lan0', '10.9.7.1/24');
    t.b.addr(x, 'eth0', '10.9.7.2/24');
    t.b.route(x, 'default', { gateway: '10.9.7.1', dev: 'eth0' });
    t.b.route(t.bb, '10.9.0.0/16', { dev: 'eth0' });
    const res = ping(t, 'b', '10.9.7.2');
    expect(res.verdict).toBe('delivered');
    const back = res.hops.filter((h) => h.direction === 'reply' && h.component === 'neighbor');
    expect(back.map((h) => [h.netns, h.interface])).toEqual([
      ['x', 'eth0'],
      ['r', 'eth0'],
    ]);
    // x learnt r from the ARP request r sent when it forwarded the ping.
    expect(back[0]!.reason).toContain('made by the ARP request from 10.9.7.1 for 10.9.7.2 earlier in this trace');
    expect(back[1]!.reason).toContain('made by the ARP request from 10.9.0.3 for 10.9.7.2 earlier in this trace');
  });

  it('is kept within one trace: the next trace from a to b does not find it', () => {
    const t = pods();
    const index = new SnapshotIndex(t.b.snapshot());
    const ref = (n: string) => index.namespaces.find((x) => x.ref.netns === n)!.ref;
    expect(trace(index, ref('b'), '10.9.0.2').verdict).toBe('delivered');
    expect(trace(index, ref('a'), '10.9.0.3').verdict).toBe('dropped');
  });

  it('answers over IPv6 from the entry the solicitation’s source link-layer option made', () => {
    const t = pods(true);
    const r = ping(t, 'b', 'fd00::2');
    expect(r.verdict).toBe('delivered');
    expect(replyNeighbor(r)!.reason).toBe(
      `fd00::3 is at ${t.b.dev(t.bb, 'eth0').mac!} (STALE): made by the neighbour solicitation from fd00::3 for fd00::2 earlier in this trace`,
    );
  });
});
