import { describe, expect, it } from 'vitest';
import { NetBuilder, type BuiltNetns } from '../../testing/netBuilder.ts';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/** A node whose bridge br0 (10.96.0.1/16) has `pods` pods, pod i at 10.96.0.(i+2) behind port veth<i>. */
function bridgedPods(pods: number): { b: NetBuilder; node: BuiltNetns; pod: BuiltNetns[] } {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true });
  const br = b.link(node, 'br0', 'bridge');
  b.addr(node, 'br0', '10.96.0.1/16');
  const pod: BuiltNetns[] = [];
  for (let i = 0; i < pods; i++) {
    const p = b.netns('node', `p${i}`);
    const [port] = b.veth(node, `veth${i}`, p, 'eth0');
    port.masterIfindex = br.ifindex;
    b.addr(p, 'eth0', `10.96.0.${i + 2}/16`);
    b.route(p, 'default', { gateway: '10.96.0.1', dev: 'eth0' });
    pod.push(p);
  }
  return { b, node, pod };
}

const ping = (t: { b: NetBuilder }, from: string, to: string) => {
  const index = new SnapshotIndex(t.b.snapshot());
  return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
};

describe('ARP across a bridge with many ports', () => {
  it('reaches the pod behind the last of 100 ports: a flood wider than a path is long is no loop', () => {
    const r = ping(bridgedPods(100), 'p0', '10.96.0.101');
    expect(r.verdict).toBe('delivered');
    expect(r.hops.find((h) => h.component === 'neighbor')!.reason).toContain('ARP would resolve it');
  });

  it('drops a ping to an address no port holds, as unanswered ARP, after every copy of the flood', () => {
    const r = ping(bridgedPods(100), 'p0', '10.96.1.200');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)!.reason).toContain('no neighbor entry for 10.96.1.200 and ARP gets no answer');
  });

  it('drops a frame for a MAC nobody behind the bridge has, and cannot tell where the bridge’s fdb was not collected', () => {
    const t = bridgedPods(2);
    t.b.neighbor(t.pod[0]!, 'eth0', '10.96.0.200', '02:00:00:00:00:aa');
    const r = ping(t, 'p0', '10.96.0.200');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)!.reason).toContain('the frame is flooded and nobody takes it');
    // A local fdb entry would hand it to the node's stack, a static one to a port: not known here.
    delete t.node.ns.fdb;
    expectUnknownStop(ping(t, 'p0', '10.96.0.200'), [
      'the fdb of br0 was not collected',
      'an entry for 02:00:00:00:00:aa (local, or static on a port) would take the frame',
    ]);
  });

  it('still asks a port whose namespace holds the address on another device (weak host)', () => {
    const t = bridgedPods(100);
    t.b.addr(t.pod[70]!, 'lo', '10.96.1.200/32');
    expect(ping(t, 'p0', '10.96.1.200').verdict).toBe('delivered');
  });

  it('still asks a namespace that routes the address out of another device, where proxy ARP answers', () => {
    const t = bridgedPods(100);
    const router = t.pod[80]!;
    router.ns.ipForward = true;
    t.b.conf(router, 'all', { ipv4: { forwarding: 1 } });
    t.b.conf(router, 'eth0', { ipv4: { forwarding: 1, proxyArp: 1 } });
    const lan = t.b.netns('node', 'lan');
    t.b.veth(router, 'lan0', lan, 'eth0');
    t.b.addr(router, 'lan0', '10.96.1.1/30');
    t.b.addr(lan, 'eth0', '10.96.1.2/30');
    t.b.route(router, '10.96.1.200/32', { dev: 'lan0' });
    const r = ping(t, 'p0', '10.96.1.200');
    const hop = r.hops.find((h) => h.component === 'neighbor')!;
    expect(hop.reason).toContain(`ARP would resolve it to ${t.b.dev(router, 'eth0').mac}`);
  });
});

describe('a unicast frame for a MAC the bridge has not learnt', () => {
  /** br0's pods and a second bridge br1 (one pod, 10.96.0.200) on the same node, joined by a veth trunk0/trunk1. */
  function chained() {
    const t = bridgedPods(3);
    const br1 = t.b.link(t.node, 'br1', 'bridge');
    const [trunk0, trunk1] = t.b.veth(t.node, 'trunk0', t.node, 'trunk1');
    trunk0.masterIfindex = t.b.dev(t.node, 'br0').ifindex;
    trunk1.masterIfindex = br1.ifindex;
    const far = t.b.netns('node', 'far');
    const [port] = t.b.veth(t.node, 'vfar', far, 'eth0');
    port.masterIfindex = br1.ifindex;
    t.b.addr(far, 'eth0', '10.96.0.200/16');
    return { ...t, far };
  }

  it('is flooded and reaches its owner behind a port that leads to another bridge, with that copy shown', () => {
    const t = chained();
    // The pod kept the far pod's MAC: no ARP exchange has taught br0 where it is.
    t.b.neighbor(t.pod[0]!, 'eth0', '10.96.0.200', t.b.dev(t.far, 'eth0').mac!);
    const r = ping(t, 'p0', '10.96.0.200');
    expect(r.verdict).toBe('delivered');
    expect(r.hops.filter((h) => h.verdict !== 'ok')).toEqual([]);
    expect(r.hops.map((h) => h.reason)).toContain(
      `br0 has no fdb entry for ${t.b.dev(t.far, 'eth0').mac}: it floods the frame, and the copy out of trunk0 reaches its owner`,
    );
  });

  it("is not flooded once the ARP exchange before it taught br0 where the owner's MAC is", () => {
    const t = chained();
    const r = ping(t, 'p0', '10.96.0.200');
    expect(r.verdict).toBe('delivered');
    expect(r.hops.map((h) => h.reason)).toContain(
      `br0 switches ${t.b.dev(t.far, 'eth0').mac} to trunk0 (learnt from a frame of this trace that came in by trunk0)`,
    );
  });

  it('is dropped where no copy of the flood reaches it', () => {
    const t = chained();
    // The pod kept the far pod's MAC: it sends unicast at once, and br1 is cut off.
    t.b.neighbor(t.pod[0]!, 'eth0', '10.96.0.200', t.b.dev(t.far, 'eth0').mac!);
    t.b.dev(t.node, 'trunk1').adminUp = false;
    const r = ping(t, 'p0', '10.96.0.200');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)!.reason).toContain('the frame is flooded and nobody takes it');
  });
});

describe('bridge port flags', () => {
  const flags = { learning: true, flood: true, mcastFlood: true, bcastFlood: true, isolated: false };
  /** Three pods on br0; pod 0 knows pod 1's MAC (a permanent entry), so it sends unicast at once. */
  function ports(set: Record<number, Partial<typeof flags>>) {
    const t = bridgedPods(3);
    for (const [i, f] of Object.entries(set)) {
      t.b.dev(t.node, `veth${i}`).slave = {
        kind: 'bridge',
        state: 'forwarding',
        hairpin: false,
        flags: { ...flags, ...f },
      };
    }
    t.b.neighbor(t.pod[0]!, 'eth0', '10.96.0.3', t.b.dev(t.pod[1]!, 'eth0').mac!);
    return t;
  }

  it('passes nothing between two isolated ports, and still from an isolated port to one that is not', () => {
    const t = ports({ 0: { isolated: true }, 1: { isolated: true } });
    const r = ping(t, 'p0', '10.96.0.3');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)).toMatchObject({ dropReason: 'NO_TX_TARGET' });
    expect(r.hops.at(-1)!.reason).toContain('are both isolated ports');
    expect(ping(t, 'p0', '10.96.0.4').verdict).toBe('delivered');
  });

  it('reaches a port that learns nothing and takes no unicast flood only by an fdb entry', () => {
    const t = ports({ 1: { learning: false, flood: false } });
    const r = ping(t, 'p0', '10.96.0.3');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)!.reason).toContain('which neither learns nor takes unicast floods');
    t.node.ns.fdb!.push({
      mac: t.b.dev(t.pod[1]!, 'eth0').mac!,
      dev: 'veth1',
      master: 'br0',
      state: 'static',
      flags: [],
    });
    expect(ping(t, 'p0', '10.96.0.3').verdict).toBe('delivered');
    // The fdb not collected: whether an entry leads there is not known.
    delete t.node.ns.fdb;
    const untold = ping(t, 'p0', '10.96.0.3');
    expect(untold.verdict).toBe('unknown');
    expect(untold.hops.at(-1)!.reason).toContain('the fdb of br0 was not collected');
  });

  it('sends a frame back out of the port it came in by only with hairpin on, and cannot tell where that was not collected', () => {
    const t = bridgedPods(3);
    // The fdb puts the MAC pod 0 sends to behind pod 0's own port.
    const mac = '02:00:00:00:aa:01';
    t.b.neighbor(t.pod[0]!, 'eth0', '10.96.0.3', mac);
    t.node.ns.fdb!.push({ mac, dev: 'veth0', master: 'br0', state: 'static', flags: [] });
    const notCollected = ping(t, 'p0', '10.96.0.3');
    expect(notCollected.verdict).toBe('unknown');
    expect(notCollected.hops.at(-1)).toMatchObject({ component: 'bridge', verdict: 'unknown' });
    expect(notCollected.hops.at(-1)!.reason).toContain('whose hairpin mode was not collected');
    const port = (hairpin: boolean) => ({ kind: 'bridge' as const, state: 'forwarding', hairpin, flags });
    t.b.dev(t.node, 'veth0').slave = port(false);
    const off = ping(t, 'p0', '10.96.0.3');
    expect(off.verdict).toBe('dropped');
    expect(off.hops.at(-1)!.reason).toContain('hairpin is off on it');
    // On: back out by veth0, where pod 0's eth0 refuses a frame for another MAC.
    t.b.dev(t.node, 'veth0').slave = port(true);
    const on = ping(t, 'p0', '10.96.0.3');
    expect(on.verdict).toBe('dropped');
    expect(on.hops.at(-1)).toMatchObject({ interface: 'eth0', dropReason: 'OTHERHOST' });
  });

  it('keeps ARP broadcasts from a port with bcast_flood off', () => {
    const t = bridgedPods(3);
    t.b.dev(t.node, 'veth1').slave = {
      kind: 'bridge',
      state: 'forwarding',
      hairpin: false,
      flags: { ...flags, bcastFlood: false },
    };
    expect(ping(t, 'p0', '10.96.0.3').verdict).toBe('dropped');
    expect(ping(t, 'p0', '10.96.0.4').verdict).toBe('delivered');
  });
});
