import { describe, expect, it } from 'vitest';
import { nodeParent, type Graph } from '../schema/graph.ts';
import { analyze } from '../snapshot/analyze.ts';
import { seedBroken } from '../testing/seedFixtures.ts';
import { nodeHosts } from './nodeHosts.ts';

/** The plain definition: every node walked up to its top; pods by their namespaces, remotes by their tunnels. */
function walked(graph: Graph): Map<string, string[]> {
  const parent = new Map<string, string>();
  for (const n of graph.nodes) {
    const p = nodeParent(n);
    if (p !== undefined) parent.set(n.id, p);
  }
  const top = (id: string): string => (parent.has(id) ? top(parent.get(id)!) : id);
  const out = new Map<string, string[]>();
  for (const n of graph.nodes) if (n.kind !== 'pod' && n.kind !== 'remote') out.set(n.id, [top(n.id)]);
  for (const n of graph.nodes) {
    if (n.kind !== 'pod' && n.kind !== 'remote') continue;
    const hosts: string[] = [];
    for (const e of graph.edges) {
      const from =
        e.kind === 'contains' && e.source === n.id
          ? e.target
          : e.kind === 'vxlan-tunnel' && e.target === n.id
            ? e.source
            : undefined;
      if (from !== undefined && !hosts.includes(top(from))) hosts.push(top(from));
    }
    out.set(n.id, hosts);
  }
  return out;
}

describe('nodeHosts', () => {
  const { graph } = analyze(seedBroken());

  it('puts every node on its host, a peer pod on its worker and its pod VM, a remote with its tunnels', () => {
    const hosts = nodeHosts(graph);
    expect(new Map([...hosts].map(([id, h]) => [id, [...h]]))).toEqual(walked(graph));
    const pods = graph.nodes.filter((n) => n.kind === 'pod');
    expect(pods.some((p) => hosts.get(p.id)!.length === 2)).toBe(true);
  });

  it('gives the same answer when children are listed before their parents', () => {
    const reversed: Graph = { ...graph, nodes: [...graph.nodes].reverse() };
    const hosts = nodeHosts(reversed);
    expect(new Map([...hosts].map(([id, h]) => [id, [...h]]))).toEqual(walked(graph));
  });
});
