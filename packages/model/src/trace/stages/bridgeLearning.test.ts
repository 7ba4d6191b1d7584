import { describe, expect, it } from 'vitest';
import { NetBuilder, type BuiltNetns } from '../../testing/netBuilder.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/**
 * br0 with pods a (10.9.0.2), b (.3) and c (.4) behind va, vb, vc, as the lab's bridge-ports
 * scenario builds it; the MAC of `who` (b unless said) left in the fdb behind vc with the given
 * state and flags.
 */
function staleFdb(state: string, flags: string[] = [], who = 'b'): { b: NetBuilder; pods: Record<string, BuiltNetns> } {
  const b = new NetBuilder();
  const node = b.netns('n', 'node', { root: true });
  const br = b.link(node, 'br0', 'bridge');
  b.addr(node, 'br0', '10.9.0.1/24');
  const pods: Record<string, BuiltNetns> = {};
  for (const [i, name] of ['a', 'b', 'c'].entries()) {
    const p = b.netns('n', name);
    const [port] = b.veth(node, `v${name}`, p, 'eth0');
    port.masterIfindex = br.ifindex;
    b.addr(p, 'eth0', `10.9.0.${i + 2}/24`);
    pods[name] = p;
  }
  const mac = b.dev(pods[who]!, 'eth0').mac!;
  node.ns.fdb = [{ mac, dev: 'vc', master: 'br0', flags: ['master', ...flags], state }];
  return { b, pods };
}

const ping = (t: { b: NetBuilder }, from: string, to: string) => {
  const index = new SnapshotIndex(t.b.snapshot());
  return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
};

describe('a bridge learns from the frames of the trace itself', () => {
  it.each(['dynamic', 'static'])(
    "follows b's ARP answer past a %s fdb entry that had b's MAC behind another port",
    (state) => {
      const t = staleFdb(state);
      const r = ping(t, 'a', '10.9.0.3');
      expect(r.verdict).toBe('delivered');
      expect(r.hops.map((h) => h.reason)).toContain(
        `br0 switches ${t.b.dev(t.pods.b!, 'eth0').mac} to vb (learnt from a frame of this trace that came in by vb; the collected fdb had it behind vc)`,
      );
    },
  );

  it('keeps a sticky entry where it is: the ping goes to c, which takes it for another host', () => {
    const r = ping(staleFdb('static', ['sticky']), 'a', '10.9.0.3');
    expect(r.verdict).toBe('dropped');
    const last = r.hops.at(-1)!;
    expect([last.netns, last.interface, last.dropReason]).toEqual(['c', 'eth0', 'OTHERHOST']);
  });

  it('follows the stale entry where no ARP exchange corrects it (a holds b as a permanent neighbour)', () => {
    const t = staleFdb('dynamic');
    const bMac = t.b.dev(t.pods.b!, 'eth0').mac!;
    t.pods.a!.ns.neighbors.push({ ip: '10.9.0.3', dev: 'eth0', mac: bMac, state: ['PERMANENT'] });
    const r = ping(t, 'a', '10.9.0.3');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)!.netns).toBe('c');
  });

  it('answers a requester whose own MAC the fdb had behind another port: its request moved it', () => {
    const r = ping(staleFdb('dynamic', [], 'a'), 'a', '10.9.0.3');
    expect(r.verdict).toBe('delivered');
    expect(r.hops.filter((h) => h.verdict !== 'ok')).toEqual([]);
  });
});
