import { nodeParent, type Graph } from '@hoplens/model';

export interface Position {
  readonly x: number;
  readonly y: number;
}

const IF_W = 170;
const NS_H = 150;
const HOST_GAP = 140;
const POD_Y = -150;

/**
 * Deterministic positions for the leaves of the compound graph: hosts side by side (an unknown
 * tunnel remote takes a host's place), each host's namespaces stacked (root first), interfaces in a
 * row. The same graph always gets the same picture, so nothing jumps between reloads and a permalink
 * shows what its sender saw.
 */
export function layoutPositions(graph: Graph): Map<string, Position> {
  const children = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const parent = nodeParent(n);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(n.id);
    children.set(parent, list);
  }
  const rootNetns = new Set(graph.nodes.flatMap((n) => (n.kind === 'netns' && n.root ? [n.id] : [])));
  const positions = new Map<string, Position>();
  const nsCenter = new Map<string, Position>();
  let x0 = 0;
  for (const host of graph.nodes.filter((n) => n.kind === 'host' || n.kind === 'remote')) {
    const namespaces = [...(children.get(host.id) ?? [])].sort(
      (a, b) => Number(rootNetns.has(b)) - Number(rootNetns.has(a)),
    );
    let widest = 1;
    namespaces.forEach((ns, row) => {
      const ifs = children.get(ns) ?? [];
      widest = Math.max(widest, ifs.length);
      ifs.forEach((id, col) => positions.set(id, { x: x0 + col * IF_W, y: row * NS_H }));
      nsCenter.set(ns, { x: x0 + ((Math.max(ifs.length, 1) - 1) * IF_W) / 2, y: row * NS_H });
      if (ifs.length === 0) positions.set(ns, { x: x0, y: row * NS_H });
    });
    if (namespaces.length === 0) positions.set(host.id, { x: x0, y: 0 });
    x0 += widest * IF_W + HOST_GAP;
  }
  let podCol = 0;
  for (const pod of graph.nodes.filter((n) => n.kind === 'pod')) {
    const first = graph.edges.find((e) => e.kind === 'contains' && e.source === pod.id);
    const anchor = first ? nsCenter.get(first.target) : undefined;
    positions.set(pod.id, { x: anchor?.x ?? podCol * IF_W, y: POD_Y });
    podCol += 1;
  }
  return positions;
}
