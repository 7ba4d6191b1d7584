import { nodeParent, type Graph, type GraphEdge, type GraphNode } from '../schema/graph.ts';

/** A focus id that names no element of the graph. */
export class UnknownFocusError extends Error {
  override readonly name = 'UnknownFocusError';
}

/**
 * Adjacency over a built graph, made once per snapshot, so that a focused view costs time in
 * proportion to what it shows, not to the cluster: a 5,000-node graph has ~10⁶ elements and a
 * browser wants a few hundred of them.
 */
export class GraphFocus {
  private readonly byId = new Map<string, GraphNode>();
  private readonly children = new Map<string, GraphNode[]>();
  private readonly edgesOf = new Map<string, GraphEdge[]>();

  constructor(graph: Graph) {
    for (const n of graph.nodes) {
      this.byId.set(n.id, n);
      const parent = nodeParent(n);
      if (parent !== undefined) push(this.children, parent, n);
    }
    for (const e of graph.edges) {
      push(this.edgesOf, e.source, e);
      if (e.target !== e.source) push(this.edgesOf, e.target, e);
    }
  }

  /**
   * The neighbourhood of one element (any graph id: host, netns, interface or pod): every element of
   * the host(s) it belongs to, the pods held there, and across each edge that leaves them, the far
   * element with its netns and host. Far hosts come without their other elements, so focusing on a
   * router that every node talks to stays bounded by the router's own edges.
   */
  focus(id: string): Graph {
    const start = this.byId.get(id);
    if (!start) throw new UnknownFocusError(`no element ${id} in this snapshot`);
    const nodes = new Map<string, GraphNode>();
    const add = (n: GraphNode): void => {
      for (let cur: GraphNode | undefined = n; cur && !nodes.has(cur.id); cur = this.parentOf(cur)) {
        nodes.set(cur.id, cur);
      }
    };
    const roots = start.kind === 'pod' ? this.podHosts(start) : [this.topOf(start)];
    const inside: GraphNode[] = [];
    for (const root of roots) this.subtree(root, inside);
    if (start.kind === 'pod') inside.push(start);
    for (const n of inside) add(n);
    const edges = new Map<string, GraphEdge>();
    for (const n of inside) {
      for (const e of this.edgesOf.get(n.id) ?? []) {
        const far = this.byId.get(e.source === n.id ? e.target : e.source);
        if (!far) continue;
        add(far);
        edges.set(e.id, e);
      }
    }
    // Edges among what is now shown (a far pod's `contains` edge, a far veth pair) come too.
    for (const e of this.edgesAmong(nodes)) {
      if (nodes.has(e.source) && nodes.has(e.target)) edges.set(e.id, e);
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }

  private edgesAmong(nodes: ReadonlyMap<string, GraphNode>): GraphEdge[] {
    const out: GraphEdge[] = [];
    for (const id of nodes.keys()) for (const e of this.edgesOf.get(id) ?? []) if (e.source === id) out.push(e);
    return out;
  }

  private parentOf(n: GraphNode): GraphNode | undefined {
    const parent = nodeParent(n);
    return parent === undefined ? undefined : this.byId.get(parent);
  }

  private topOf(n: GraphNode): GraphNode {
    let cur = n;
    for (let p = this.parentOf(cur); p; p = this.parentOf(cur)) cur = p;
    return cur;
  }

  /** The hosts holding a pod's namespaces, through its `contains` edges. */
  private podHosts(pod: GraphNode): GraphNode[] {
    const hosts = new Map<string, GraphNode>();
    for (const e of this.edgesOf.get(pod.id) ?? []) {
      const ns = e.kind === 'contains' && e.source === pod.id ? this.byId.get(e.target) : undefined;
      if (ns) hosts.set(this.topOf(ns).id, this.topOf(ns));
    }
    return [...hosts.values()];
  }

  private subtree(root: GraphNode, out: GraphNode[]): void {
    const stack = [root];
    for (let n = stack.pop(); n; n = stack.pop()) {
      out.push(n);
      stack.push(...(this.children.get(n.id) ?? []));
    }
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
