import { nodeParent, type Graph } from '../schema/graph.ts';

/**
 * The host(s) each graph node lives on: its top compound ancestor; for a pod, the hosts of the
 * namespaces it holds (a peer pod has two: its worker and its pod VM); for an unknown tunnel remote,
 * the hosts of the tunnel ends that point at it (it is drawn with them).
 *
 * A graph lists a parent before its children (buildGraph does), so a node's top is its parent's,
 * found as it comes, and every node of one top shares one array: on a 5,000-node graph this map has
 * a million entries, and a parent map and an array each beside them cost the first view ~1 s. A
 * child listed before its parent is walked up to its top (at most 8 steps, as a guard).
 */
export function nodeHosts(graph: Graph): Map<string, readonly string[]> {
  const one = new Map<string, readonly string[]>();
  const only = (top: string): readonly string[] => {
    let list = one.get(top);
    if (!list) one.set(top, (list = [top]));
    return list;
  };
  let parents: Map<string, string> | undefined;
  const walk = (id: string): string => {
    if (!parents) {
      parents = new Map();
      for (const n of graph.nodes) {
        const p = nodeParent(n);
        if (p !== undefined) parents.set(n.id, p);
      }
    }
    let cur = id;
    for (let p = parents.get(cur), hops = 0; p !== undefined && hops < 8; p = parents.get(cur), hops++) cur = p;
    return cur;
  };
  const tops = new Map<string, readonly string[]>();
  for (const n of graph.nodes) {
    const p = nodeParent(n);
    tops.set(n.id, p === undefined ? only(n.id) : (tops.get(p) ?? only(walk(n.id))));
  }
  const reached = new Map<string, string[]>();
  for (const n of graph.nodes) if (n.kind === 'pod' || n.kind === 'remote') reached.set(n.id, []);
  for (const e of graph.edges) {
    // A pod is reached through its `contains` edges, a remote from the tunnel ends pointing at it.
    const [from, to] = e.kind === 'contains' ? [e.target, e.source] : [e.source, e.target];
    const list = e.kind === 'contains' || e.kind === 'vxlan-tunnel' ? reached.get(to) : undefined;
    if (!list) continue;
    const host = tops.get(from)?.[0] ?? from;
    if (!list.includes(host)) list.push(host);
  }
  for (const [id, hosts] of reached) tops.set(id, hosts);
  return tops;
}
