import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../schema/trace.ts';
import { macvlanNode, type MacvlanNode } from '../../testing/macvlanNode.ts';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const ping = (t: MacvlanNode, from: string, to: string): TraceResult => {
  const index = new SnapshotIndex(t.b.snapshot());
  return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
};
const stop = (r: TraceResult) => r.hops.find((h) => h.verdict !== 'ok');

describe('macvlan', () => {
  it('switches between bridge-mode macvlans of one lower device without leaving it', () => {
    const result = ping(macvlanNode(), 'p1', '10.10.0.12');
    expect(result.verdict).toBe('delivered');
    expect(result.hops.some((h) => h.component === 'macvlan' && h.reason.includes('bridge mode: '))).toBe(true);
    // Nothing went out to the router on the other end of the lower device.
    expect(result.hops.filter((h) => h.host === 'router')).toEqual([]);
  });

  it('sends private-mode frames out of the lower device, so siblings never meet', () => {
    const t = macvlanNode({ mode: 'private' });
    expect(stop(ping(t, 'p1', '10.10.0.12'))).toMatchObject({ dropReason: 'NEIGH_FAILED' });
    expect(ping(t, 'p1', '10.10.0.100').verdict).toBe('delivered');
    // What comes in from the wire reaches every mode.
    expect(ping(t, 'router', '10.10.0.12').verdict).toBe('delivered');
  });

  it('never lets the lower device reach its children, nor them it', () => {
    const t = macvlanNode({ parentIp: '10.10.0.1' });
    expect(stop(ping(t, 'node', '10.10.0.11'))).toMatchObject({ interface: 'ens3', dropReason: 'NEIGH_FAILED' });
    expect(stop(ping(t, 'p1', '10.10.0.1'))).toMatchObject({ netns: 'p1', dropReason: 'NEIGH_FAILED' });
  });

  it('gives the passthru macvlan every frame of its lower device', () => {
    const t = macvlanNode({ mode: 'passthru', pods: 1 });
    expect(ping(t, 'router', '10.10.0.11').verdict).toBe('delivered');
  });

  it('cannot tell, never drops, where a macvlan that may answer a broadcast cannot be evaluated (lab: macvlan/bridge-ebpf)', () => {
    const t = macvlanNode();
    // p2's firewall could not be read: whether its ARP hooks let the request in cannot be told.
    t.pods[1]!.ns.firewall = {
      nftables: [],
      iptables: [],
      ipsets: [],
      gaps: [{ family: 'all', what: 'nftables', reason: 'nft: not found' }],
    };
    expectUnknownStop(ping(t, 'p1', '10.10.0.12'), [
      'no neighbor entry for 10.10.0.12, and whether ARP gets an answer cannot be told',
      'nftables of this namespace could not be read (nft: not found)',
    ]);
    // From the wire: the lower device hands the broadcast to p2 too, and keeps it itself.
    expectUnknownStop(ping(t, 'router', '10.10.0.12'), [
      'no neighbor entry for 10.10.0.12, and whether ARP gets an answer cannot be told',
    ]);
  });

  it('drops a frame for a macvlan that is down', () => {
    const t = macvlanNode();
    t.b.neighbor(t.router, 'eth0', '10.10.0.12', t.b.dev(t.pods[1]!, 'eth0').mac!);
    t.b.dev(t.pods[1]!, 'eth0').adminUp = false;
    expect(stop(ping(t, 'router', '10.10.0.12'))).toMatchObject({ component: 'macvlan', verdict: 'dropped' });
  });

  it('cannot tell whether a sibling is reached where a macvlan mode was not collected', () => {
    // The sender's mode unknown: bridge mode would switch to p2, any other sends it out by ens3.
    const t = macvlanNode();
    delete t.b.dev(t.pods[0]!, 'eth0').kindData;
    expectUnknownStop(ping(t, 'p1', '10.10.0.12'), [
      'whether ARP gets an answer cannot be told',
      'the mode of macvlan eth0 (node/p1) was not collected',
    ]);
    // The same with p2's MAC already resolved: a unicast for a sibling, told apart by the mode alone.
    t.b.neighbor(t.pods[0]!, 'eth0', '10.10.0.12', t.b.dev(t.pods[1]!, 'eth0').mac!);
    expectUnknownStop(ping(t, 'p1', '10.10.0.12'), ['the mode of macvlan eth0 (node/p1) was not collected']);
    // The sender in bridge mode, the sibling's mode unknown.
    const u = macvlanNode();
    delete u.b.dev(u.pods[1]!, 'eth0').kindData;
    u.b.neighbor(u.pods[0]!, 'eth0', '10.10.0.12', u.b.dev(u.pods[1]!, 'eth0').mac!);
    expectUnknownStop(ping(u, 'p1', '10.10.0.12'), ['the mode of macvlan eth0 (node/p2) was not collected']);
    // Where the mode decides nothing, the answer stands: to the router, every mode leaves by ens3.
    expect(ping(t, 'p1', '10.10.0.100').verdict).toBe('delivered');
  });
});
