import { nodeParent, type Graph } from '../schema/graph.ts';

/**
 * The host(s) each graph node lives on: its top compound ancestor; for a pod, the hosts of the
 * namespaces it holds (a peer pod has two: its worker and its pod VM); for an unknown tunnel remote,
 * the hosts of the tunnel ends that point at it (it is drawn with them).
 */
export function nodeHosts(graph: Graph): Map<string, readonly string[]> {
  const parent = new Map<string, string>();
  for (const n of graph.nodes) {
    const p = nodeParent(n);
    if (p !== undefined) parent.set(n.id, p);
  }
  const top = (id: string): string => {
    let cur = id;
    for (let p = parent.get(cur), hops = 0; p !== undefined && hops < 8; p = parent.get(cur), hops++) cur = p;
    return cur;
  };
  const out = new Map<string, readonly string[]>();
  const reached = new Map<string, string[]>();
  for (const n of graph.nodes) {
    if (n.kind === 'pod' || n.kind === 'remote') reached.set(n.id, []);
    else out.set(n.id, [top(n.id)]);
  }
  for (const e of graph.edges) {
    // A pod is reached through its `contains` edges, a remote from the tunnel ends pointing at it.
    const [from, to] = e.kind === 'contains' ? [e.target, e.source] : [e.source, e.target];
    const list = e.kind === 'contains' || e.kind === 'vxlan-tunnel' ? reached.get(to) : undefined;
    if (!list) continue;
    const host = top(from);
    if (!list.includes(host)) list.push(host);
  }
  for (const [id, hosts] of reached) out.set(id, hosts);
  return out;
}
