import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { buildGraph } from './buildGraph.ts';

describe('buildGraph', () => {
  it('nests interfaces in namespaces in hosts and joins the seed with every edge kind', () => {
    const graph = buildGraph(new SnapshotIndex(seedFixed()));
    const kinds = new Set(graph.edges.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['contains', 'neighbor', 'tc-redirect', 'underlay', 'veth', 'vxlan-tunnel']);
    const eth0 = graph.nodes.find((n) => n.label === 'eth0')!;
    expect(eth0.parent).toBe(`ns:worker/${SEED.pod.netns}`);
    expect(graph.nodes.find((n) => n.id === eth0.parent)?.parent).toBe('host:worker');
    expect(graph.nodes.some((n) => n.label === 'lo')).toBe(false);
    const tunnel = graph.edges.filter((e) => e.kind === 'vxlan-tunnel');
    expect(tunnel).toHaveLength(1);
    expect(tunnel[0]).toMatchObject({ broken: false, label: 'VNI 555000' });
    expect(graph.edges.filter((e) => e.kind === 'tc-redirect')).toHaveLength(2);
  });

  it('draws a broken tunnel edge when the far end has another VNI', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.vni = 7;
    const broken = buildGraph(new SnapshotIndex(snap)).edges.filter((e) => e.kind === 'vxlan-tunnel' && e.broken);
    expect(broken.length).toBeGreaterThan(0);
    expect(broken[0]!.label).toContain('VNI 555000 here, VNI 7');
  });

  it('points a tunnel whose remote no host owns at a placeholder for that address', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.0.2.77';
    const graph = buildGraph(new SnapshotIndex(snap));
    expect(graph.nodes.find((n) => n.id === 'remote:192.0.2.77')).toBeDefined();
    expect(graph.edges.find((e) => e.target === 'remote:192.0.2.77')).toMatchObject({ broken: true });
  });
});
