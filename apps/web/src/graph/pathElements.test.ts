import { describe, expect, it } from 'vitest';
import { analyze, SnapshotIndex, trace, type Snapshot } from '@hoplens/model';
import { linkId, nsIn, SEED, seedBroken, seedFixed } from '@hoplens/model/testing';
import { pathElements, type PathStep } from './pathElements.ts';

const POD = 'pod:worker/hl-seed-pod';

function seedPath(snap: Snapshot) {
  const { graph } = analyze(snap);
  const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
  const path = pathElements(graph, result, POD);
  const kindOf = (id: string | undefined) => graph.edges.find((e) => e.id === id)?.kind;
  const id = (ns: typeof SEED.pod | typeof SEED.worker | typeof SEED.vm | typeof SEED.podns, name: string) =>
    linkId(snap, ns, name);
  const ids = {
    gateway: id(SEED.worker, 'ovn-k8s-pod'),
    eth0: id(SEED.pod, 'eth0'),
    vxlan1: id(SEED.pod, 'vxlan1'),
    ens3: id(SEED.worker, 'ens3'),
    ens4: id(SEED.vm, 'ens4'),
    vxlan0: id(SEED.podns, 'vxlan0'),
  };
  /** Steps of one direction as `from>to kind edge-kind hops`, names for ids. */
  const read = (direction: PathStep['direction']) => {
    const name = (x: string) => Object.entries(ids).find(([, v]) => v === x)?.[0] ?? x;
    return path.steps
      .filter((s) => s.direction === direction)
      .map((s) => `${name(s.from)}>${name(s.to)} ${s.kind} ${kindOf(s.edge) ?? '-'} ${s.hops.join('-')}`);
  };
  return { graph, result, path, ids, read, kindOf };
}

describe('pathElements', () => {
  it('draws the request of the broken seed hop by hop, the tunnel crossed over its underlay, up to the drop', () => {
    const { path, ids, read, result } = seedPath(seedBroken());
    expect(read('request')).toEqual([
      'gateway>eth0 link veth 4-4',
      // The tc redirect that points the packet's way (eth0 → vxlan1), not its twin back.
      'eth0>vxlan1 link tc-redirect 5-5',
      'vxlan1>ens3 underlay underlay 6-8',
      'ens3>ens4 underlay underlay 9-9',
      'ens4>vxlan0 underlay underlay 10-10',
      'vxlan1>vxlan0 tunnel vxlan-tunnel 10-11',
    ]);
    expect(read('reply')).toEqual([]);
    expect(path.start).toBe(ids.gateway);
    expect(path.dropAt).toBe(ids.vxlan0);
    expect(path.dropHop).toBe(result.hops.length);
    expect(result.hops[path.dropHop! - 1]?.action).toBe('dropped');
    expect(path.nodes.has(POD)).toBe(true);
  });

  it('draws the reply of the fixed seed its own way back: the other tc redirect, the tunnel the other way', () => {
    const { path, read, kindOf } = seedPath(seedFixed());
    expect(path.dropAt).toBeUndefined();
    expect(read('request').at(-1)).toBe('vxlan1>vxlan0 tunnel vxlan-tunnel 10-12');
    expect(read('reply')).toEqual([
      'vxlan0>ens4 underlay underlay 16-18',
      'ens4>ens3 underlay underlay 19-19',
      'ens3>vxlan1 underlay underlay 20-20',
      'vxlan0>vxlan1 tunnel vxlan-tunnel 20-21',
      'vxlan1>eth0 link tc-redirect 22-22',
      'eth0>gateway link veth 23-24',
    ]);
    const tc = path.steps.filter((s) => kindOf(s.edge) === 'tc-redirect').map((s) => s.edge);
    expect(new Set(tc).size).toBe(2);
    // Every topology edge a step follows is on the path, and nothing else.
    expect(path.edges).toEqual(new Set(path.steps.map((s) => s.edge)));
  });

  it("marks where a walk stops unknown as such, never as a drop (the pod VM's rp_filter was not collected)", () => {
    const snap = seedBroken();
    // Recorded with the VM's sysctls: taken away, as in a snapshot that lacks them.
    delete nsIn(snap, SEED.vm).sysctls;
    const { graph } = analyze(snap);
    const result = trace(new SnapshotIndex(snap), SEED.podns, '192.168.200.2');
    expect(result.verdict).toBe('unknown');
    const path = pathElements(graph, result, POD);
    expect(path.dropAt).toBeUndefined();
    expect(path.dropHop).toBeUndefined();
    expect(path.unknownAt).toBe(linkId(snap, SEED.vm, 'ens4'));
    expect(path.steps.some((s) => s.to === path.unknownAt)).toBe(true);
  });
});
