import { nodeHosts, type DisclosedGraph, type Graph, type HostGroup } from '@hoplens/model';
import { layoutPositions, type Position } from './layoutPositions.ts';

/** Size of one group's slot in the overview grid. */
export const CELL = { w: 260, h: 170 } as const;

/** The overview grid: wider than tall, as screens are. */
const columns = (groups: number): number => Math.max(1, Math.ceil(Math.sqrt(groups * 1.8)));

/** Room around an expanded group's leaves for the host and namespace boxes drawn round them. */
const MARGIN = 120;

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

/** Offsets of the columns (or rows) of a grid whose every column is as wide as its widest cell. */
const offsets = (sizes: readonly number[]): number[] => {
  const out: number[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(at);
    at += s;
  }
  return out;
};

/**
 * Positions for a view. A small snapshot is laid out whole, as before. In an overview every group
 * keeps its slot (row and column) in a grid; a column widens and a row heightens to hold an expanded
 * group, so its neighbours move aside and nothing is drawn over anything else. Collapsing it puts
 * them back.
 */
export function viewPositions(view: DisclosedGraph): Map<string, Position> {
  if (view.mode === 'full') return layoutPositions(view.graph);
  const hostsOf = nodeHosts(view.graph);
  const cols = columns(view.groups.length);
  const rows = Math.ceil(view.groups.length / cols);
  const inner = new Map<string, { pos: Map<string, Position>; x0: number; y0: number }>();
  const widths = Array.from({ length: cols }, (): number => CELL.w);
  const heights = Array.from({ length: rows }, (): number => CELL.h);
  for (const g of view.groups) {
    if (!g.expanded) continue;
    const pos = layoutPositions(groupGraph(view, g, hostsOf));
    const xs = [...pos.values()].map((p) => p.x);
    const ys = [...pos.values()].map((p) => p.y);
    const [x0, y0] = [Math.min(...xs, 0), Math.min(...ys, 0)];
    const [col, row] = [g.slot % cols, Math.floor(g.slot / cols)];
    widths[col] = Math.max(widths[col] ?? 0, Math.max(...xs, 0) - x0 + 2 * MARGIN);
    heights[row] = Math.max(heights[row] ?? 0, Math.max(...ys, 0) - y0 + 2 * MARGIN);
    inner.set(g.id, { pos, x0, y0 });
  }
  const [colX, rowY] = [offsets(widths), offsets(heights)];
  const out = new Map<string, Position>();
  for (const g of view.groups) {
    const origin = { x: colX[g.slot % cols] ?? 0, y: rowY[Math.floor(g.slot / cols)] ?? 0 };
    const open = inner.get(g.id);
    if (!open) {
      out.set(g.id, { x: origin.x + CELL.w / 2, y: origin.y + CELL.h / 2 });
      continue;
    }
    const dx = origin.x + MARGIN - open.x0;
    const dy = origin.y + MARGIN - open.y0;
    for (const [id, p] of open.pos) out.set(id, { x: p.x + dx, y: p.y + dy });
  }
  return out;
}
