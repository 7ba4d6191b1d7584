import type { Graph } from '../schema/graph.ts';

/**
 * The host(s) each graph node lives on: its top compound ancestor, or for a pod the hosts of the
 * namespaces it holds (a peer pod has two: its worker and its pod VM).
 */
export function nodeHosts(graph: Graph): Map<string, readonly string[]> {
  const parent = new Map<string, string>();
  for (const n of graph.nodes) if (n.parent !== undefined) parent.set(n.id, n.parent);
  const top = (id: string): string => {
    let cur = id;
    for (let p = parent.get(cur), hops = 0; p !== undefined && hops < 8; p = parent.get(cur), hops++) cur = p;
    return cur;
  };
  const out = new Map<string, readonly string[]>();
  for (const n of graph.nodes) if (n.kind !== 'pod') out.set(n.id, [top(n.id)]);
  const podHosts = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.kind !== 'contains') continue;
    const host = top(e.target);
    const list = podHosts.get(e.source) ?? [];
    if (!list.includes(host)) list.push(host);
    podHosts.set(e.source, list);
  }
  for (const n of graph.nodes) if (n.kind === 'pod') out.set(n.id, podHosts.get(n.id) ?? []);
  return out;
}
