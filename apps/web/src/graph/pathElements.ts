import { isDropHop, traceStop, type Graph, type GraphEdge, type Hop, type TraceResult } from '@hoplens/model';

/** Which way a packet goes: the ping, or its answer. */
export type Direction = Hop['direction'];

/**
 * How a step moves the packet: across a link (veth, tc redirect, bridge port, wire), through a VXLAN
 * tunnel (encapsulated at `from`, decapsulated at `to`), or as the outer packet beneath that tunnel.
 */
export type StepKind = 'link' | 'tunnel' | 'underlay';

/** One move of the packet between two elements of the graph, in the trace's order. */
export interface PathStep {
  readonly direction: Direction;
  readonly kind: StepKind;
  readonly from: string;
  readonly to: string;
  /** The topology edge it follows (oriented either way), when one joins the two elements. */
  readonly edge: string | undefined;
  /** Numbers (1-based, as the hop list counts them) of the first and last hop at `to` on this visit. */
  readonly hops: readonly [number, number];
}

/** Elements a trace passes through, the steps between them by direction, and where it was dropped. */
export interface PathElements {
  readonly nodes: ReadonlySet<string>;
  /** Topology edges a step follows. */
  readonly edges: ReadonlySet<string>;
  readonly steps: readonly PathStep[];
  /** Where the packet starts: the first hop's element. */
  readonly start: string | undefined;
  readonly dropAt: string | undefined;
  /** Number of the hop that dropped it. */
  readonly dropHop: number | undefined;
  /** Where the walk stopped without knowing what the kernel does (verdict `unknown`): never drawn as a drop. */
  readonly unknownAt: string | undefined;
}

/** Edges that carry packets, by the unordered pair of elements they join. */
function carriers(graph: Graph): Map<string, GraphEdge[]> {
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    if (e.kind === 'contains' || e.kind === 'neighbor' || e.kind === 'summed') continue;
    const key = e.source < e.target ? `${e.source}|${e.target}` : `${e.target}|${e.source}`;
    const list = out.get(key);
    if (list) list.push(e);
    else out.set(key, [e]);
  }
  return out;
}

/**
 * The edge a step from `from` to `to` follows. A tc redirect only carries packets from its filter's
 * device to its target, so the one pointing the packet's way is chosen (a pod's eth0 and its tunnel
 * device redirect to each other: two edges between one pair). Other links carry both ways.
 */
function edgeFor(
  byPair: ReadonlyMap<string, readonly GraphEdge[]>,
  from: string,
  to: string,
  kind: StepKind,
): string | undefined {
  const list = byPair.get(from < to ? `${from}|${to}` : `${to}|${from}`) ?? [];
  const usable = list.filter((e) => e.kind !== 'tc-redirect' || (e.source === from && e.target === to));
  const tunnel = kind === 'tunnel';
  return usable.find((e) => (e.kind === 'vxlan-tunnel') === tunnel)?.id;
}

type Step = Omit<PathStep, 'hops'> & { hops: [number, number] };

/**
 * Maps a trace's hops onto the graph: each hop's element is on the path, and each move between two
 * elements is a step of its direction, following the edge that joins them. A VXLAN crossing is one
 * `tunnel` step from the encapsulating device to the decapsulating one, the outer packet's moves
 * (socket, wire, socket) `underlay` steps beneath it. The selected pod is on the path.
 */
export function pathElements(graph: Graph, trace: TraceResult, podNodeId?: string): PathElements {
  const byPair = carriers(graph);
  const nodes = new Set<string>(podNodeId ? [podNodeId] : []);
  const steps: Step[] = [];
  let at: { element: string; direction: Direction } | undefined;
  let encap: string | undefined;
  const push = (step: Omit<Step, 'edge' | 'hops'>, n: number): void => {
    steps.push({ ...step, edge: edgeFor(byPair, step.from, step.to, step.kind), hops: [n, n] });
  };
  trace.hops.forEach((hop, i) => {
    const n = i + 1;
    const { element, direction } = hop;
    nodes.add(element);
    // The reply starts where the request ended: the same element, a new direction.
    const from = at?.direction === direction ? at.element : undefined;
    if (from === undefined) encap = undefined;
    else if (from !== element) push({ direction, kind: encap ? 'underlay' : 'link', from, to: element }, n);
    else {
      const last = steps[steps.length - 1];
      if (last?.direction === direction && last.to === element) last.hops[1] = n;
    }
    if (hop.component === 'vxlan-encap') encap = element;
    if (hop.component === 'vxlan-decap' && encap !== undefined) {
      push({ direction, kind: 'tunnel', from: encap, to: element }, n);
      encap = undefined;
    }
    at = { element, direction };
  });
  const edges = new Set(steps.flatMap((s) => (s.edge === undefined ? [] : [s.edge])));
  // Where the walk stopped: only a drop is drawn as one (see isDropHop).
  const stop = traceStop(trace);
  const drop = stop && isDropHop(stop.hop) ? stop : undefined;
  return {
    nodes,
    edges,
    steps,
    start: trace.hops[0]?.element,
    dropAt: drop?.hop.element,
    dropHop: drop?.n,
    unknownAt: stop?.hop.verdict === 'unknown' ? stop.hop.element : undefined,
  };
}
