import type { Graph, TraceResult } from '@hoplens/model';

/** Elements a trace passes through, in order, and the one where it was dropped. */
export interface PathElements {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
  readonly dropAt: string | undefined;
}

/**
 * Maps a trace's hops onto the graph: each hop's element is on the path, and so is every edge that
 * joins two consecutive hop elements (veth, tc redirect, tunnel, underlay). The selected pod is on it.
 */
export function pathElements(graph: Graph, trace: TraceResult, podNodeId?: string): PathElements {
  const nodes = new Set<string>(podNodeId ? [podNodeId] : []);
  const edges = new Set<string>();
  const sequence: string[] = [];
  for (const hop of trace.hops) {
    nodes.add(hop.element);
    if (sequence[sequence.length - 1] !== hop.element) sequence.push(hop.element);
  }
  const edgeBetween = new Map<string, string>();
  for (const e of graph.edges) {
    if (e.kind === 'contains' || e.kind === 'neighbor') continue;
    edgeBetween.set(`${e.source}|${e.target}`, e.id);
    edgeBetween.set(`${e.target}|${e.source}`, e.id);
  }
  for (let i = 1; i < sequence.length; i++) {
    const id = edgeBetween.get(`${sequence[i - 1]}|${sequence[i]}`);
    if (id) edges.add(id);
  }
  const drop = trace.hops.find((h) => h.action === 'dropped');
  return { nodes, edges, dropAt: drop?.element };
}
