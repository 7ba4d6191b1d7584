import { nodeParent, type Graph } from '@hoplens/model';

export interface Position {
  readonly x: number;
  readonly y: number;
}

const IF_W = 170;
const NS_H = 150;
const HOST_GAP = 140;
const POD_Y = -150;
/** Room one pod takes in its row: the hexagon and its name above it. */
export const POD_W = 130;

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
  for (const [id, p] of podRow(graph, nsCenter)) positions.set(id, p);
  return positions;
}

/**
 * The pods in one row above the hosts, each over its first namespace where there is room: pods
 * sharing a namespace, or of neighbouring ones, are pushed right one pod-width apart, so no two
 * overlap (10 pods of a node once sat on 2 points, unclickable).
 */
function podRow(graph: Graph, nsCenter: ReadonlyMap<string, Position>): Map<string, Position> {
  const firstNetns = new Map<string, string>();
  for (const e of graph.edges)
    if (e.kind === 'contains' && !firstNetns.has(e.source)) firstNetns.set(e.source, e.target);
  const wanted = graph.nodes
    .filter((n) => n.kind === 'pod')
    .map((pod, i) => {
      const ns = firstNetns.get(pod.id);
      return { id: pod.id, x: (ns === undefined ? undefined : nsCenter.get(ns)?.x) ?? i * IF_W };
    })
    .sort((a, b) => a.x - b.x);
  const out = new Map<string, Position>();
  let next = -Infinity;
  for (const { id, x } of wanted) {
    const at = Math.max(x, next);
    out.set(id, { x: at, y: POD_Y });
    next = at + POD_W;
  }
  return out;
}
