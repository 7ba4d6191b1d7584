import { nodeHosts, type DisclosedGraph, type Graph, type HostGroup } from '@hoplens/model';
import { layoutPositions, type Position } from './layoutPositions.ts';

/** Size of one group's slot in the overview grid. */
export const CELL = { w: 260, h: 170 } as const;

/** The overview grid: wider than tall, as screens are. */
const columns = (groups: number): number => Math.max(1, Math.ceil(Math.sqrt(groups * 1.8)));

/** Top-left corner of a group's slot. */
export function slotOrigin(slot: number, groups: number): Position {
  const cols = columns(groups);
  return { x: (slot % cols) * CELL.w, y: Math.floor(slot / cols) * CELL.h };
}

/**
 * The part of a view that belongs to one expanded group: its hosts' elements, their pods, and the
 * unknown remotes their tunnels point at (`nodeHosts` puts those with the hosts that reach them).
 */
function groupGraph(view: DisclosedGraph, group: HostGroup, hostsOf: ReadonlyMap<string, readonly string[]>): Graph {
  const hosts = new Set(group.hosts);
  const nodes = view.graph.nodes.filter((n) => hostsOf.get(n.id)?.some((h) => hosts.has(h)));
  const inside = new Set(nodes.map((n) => n.id));
  return { nodes, edges: view.graph.edges.filter((e) => e.kind === 'contains' && inside.has(e.target)) };
}

/**
 * Positions for a view. A small snapshot is laid out whole, as before. In an overview every group
 * keeps its slot in a grid whether collapsed or expanded, and an expanded group unfolds from its slot's
 * corner: expanding or collapsing one group never moves another.
 */
export function viewPositions(view: DisclosedGraph): Map<string, Position> {
  if (view.mode === 'full') return layoutPositions(view.graph);
  const hostsOf = nodeHosts(view.graph);
  const out = new Map<string, Position>();
  for (const g of view.groups) {
    const origin = slotOrigin(g.slot, view.groups.length);
    if (!g.expanded) {
      out.set(g.id, { x: origin.x + CELL.w / 2, y: origin.y + CELL.h / 2 });
      continue;
    }
    const inner = layoutPositions(groupGraph(view, g, hostsOf));
    const xs = [...inner.values()].map((p) => p.x);
    const ys = [...inner.values()].map((p) => p.y);
    const dx = origin.x + 60 - Math.min(...xs, 0);
    const dy = origin.y + 60 - Math.min(...ys, 0);
    for (const [id, p] of inner) out.set(id, { x: p.x + dx, y: p.y + dy });
  }
  return out;
}
