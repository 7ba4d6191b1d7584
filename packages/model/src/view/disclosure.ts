import type { Finding } from '../schema/finding.ts';
import { summedEdgeId } from '../ids.ts';
import type { EdgeOf, Graph, GraphEdge, GraphNode, HostNode } from '../schema/graph.ts';
import type { Severity } from '../schema/snapshot.ts';
import type { DisclosedGraph, GroupProblems, HostGroup } from '../schema/view.ts';
import { SEVERITY_RANK, worse, worstByElement } from '../rules/severity.ts';
import { hostGroups } from './hostGroups.ts';
import { nodeHosts } from './nodeHosts.ts';

/** Graphs up to this many elements are drawn whole; larger ones start as an overview of host groups. */
export const FULL_VIEW_LIMIT = 3000;
/** Groups one view may show in full: each can hold hundreds of elements. */
export const MAX_EXPANDED = 24;

/** An `expand` list the snapshot cannot satisfy. */
export class ViewInputError extends Error {
  override readonly name = 'ViewInputError';
}

export interface DisclosureOptions {
  /** Graphs up to this many elements are drawn whole (default FULL_VIEW_LIMIT). */
  readonly fullLimit?: number;
  /** `nodeHosts(graph)`, when the caller already has it. */
  readonly hostOf?: ReadonlyMap<string, readonly string[]>;
}

interface GroupParts {
  group: Omit<HostGroup, 'expanded'>;
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

/**
 * Progressive disclosure over one snapshot's graph, prepared once: which group every element falls
 * in, each group's own elements, and the edges between groups. A view then costs time in proportion
 * to what it shows plus the (few) edges between groups, not to the cluster.
 */
export class Disclosure {
  readonly mode: DisclosedGraph['mode'];
  private readonly parts = new Map<string, GroupParts>();
  private readonly groupOf = new Map<string, string>();
  private readonly cross: GraphEdge[] = [];
  private readonly summaries = new Map<string, HostNode>();
  private readonly severity: Map<string, Severity>;
  private edgeById: Map<string, GraphEdge> | undefined;
  private readonly total: DisclosedGraph['total'];

  constructor(
    private readonly graph: Graph,
    findings: readonly Finding[],
    options: DisclosureOptions = {},
  ) {
    const { fullLimit = FULL_VIEW_LIMIT, hostOf = nodeHosts(graph) } = options;
    this.total = { nodes: graph.nodes.length, edges: graph.edges.length };
    this.mode = this.total.nodes + this.total.edges <= fullLimit ? 'full' : 'overview';
    this.severity = worstByElement(findings);
    const groups = hostGroups(graph, hostOf);
    groups.forEach((g, slot) => {
      for (const h of g.hosts) this.groupOf.set(h, g.id);
      this.parts.set(g.id, { group: { ...g, slot, summary: { pods: 0, findings: 0 } }, nodes: [], edges: [] });
    });
    for (const n of graph.nodes) {
      const host = hostOf.get(n.id)?.[0];
      const group = host === undefined ? undefined : this.groupOf.get(host);
      if (group === undefined) continue;
      this.groupOf.set(n.id, group);
      this.parts.get(group)?.nodes.push(n);
    }
    for (const e of graph.edges) {
      const a = this.groupOf.get(e.source);
      const b = this.groupOf.get(e.target);
      if (a === undefined || b === undefined) continue;
      if (a === b) this.parts.get(a)?.edges.push(e);
      else this.cross.push(e);
    }
    const findingsOf = new Map<string, Set<Finding>>();
    for (const f of findings) {
      for (const id of f.subjects) {
        const g = this.groupOf.get(id) ?? this.edgeGroup(id);
        if (g === undefined) continue;
        const set = findingsOf.get(g) ?? new Set();
        set.add(f);
        findingsOf.set(g, set);
      }
    }
    for (const p of this.parts.values()) {
      const box = summarize(p, findingsOf.get(p.group.id));
      this.summaries.set(p.group.id, box);
      p.group = { ...p.group, summary: groupSummary(box, findingsOf.get(p.group.id)) };
    }
  }

  /** Every group, in overview order. */
  groups(): Omit<HostGroup, 'expanded'>[] {
    return [...this.parts.values()].map((p) => p.group);
  }

  /** The view with these groups expanded (ignored in `full` mode, where everything is). */
  view(expand: readonly string[]): DisclosedGraph {
    if (this.mode === 'full') {
      return {
        mode: 'full',
        graph: this.graph,
        groups: this.groups().map((g) => ({ ...g, expanded: true })),
        total: this.total,
      };
    }
    const expanded = new Set(expand);
    if (expanded.size > MAX_EXPANDED)
      throw new ViewInputError(`at most ${MAX_EXPANDED} groups can be expanded at once`);
    for (const id of expanded)
      if (!this.parts.has(id)) throw new ViewInputError(`no host group ${id} in this snapshot`);
    const nodes: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    for (const p of this.parts.values()) {
      if (expanded.has(p.group.id)) {
        nodes.push(...p.nodes);
        edges.push(...p.edges);
      } else {
        const box = this.summaries.get(p.group.id);
        if (box) nodes.push(box);
      }
    }
    edges.push(...this.crossEdges(expanded));
    return {
      mode: 'overview',
      graph: { nodes, edges },
      groups: this.groups().map((g) => ({ ...g, expanded: expanded.has(g.id) })),
      total: this.total,
    };
  }

  /** Edges between groups, each end drawn as itself if its group is expanded, else as its group's box. */
  private crossEdges(expanded: ReadonlySet<string>): GraphEdge[] {
    const shown = (id: string): string => {
      const g = this.groupOf.get(id) ?? id;
      return expanded.has(g) ? id : g;
    };
    const out: GraphEdge[] = [];
    const summed = new Map<string, Summed>();
    for (const e of this.cross) {
      const source = shown(e.source);
      const target = shown(e.target);
      if (source === e.source && target === e.target) {
        out.push(e);
        continue;
      }
      const of = e.kind === 'summed' ? e.of : e.kind;
      const id = summedEdgeId(of, source, target);
      let sum = summed.get(id);
      if (!sum) summed.set(id, (sum = { id, kind: 'summed', source, target, of, count: 0 }));
      sum.count += e.kind === 'summed' ? e.count : 1;
      const severity = worse(sum.severity, this.severity.get(e.id));
      if (severity !== undefined) sum.severity = severity;
      const reason = e.kind === 'vxlan-tunnel' || e.kind === 'summed' ? e.reason : undefined;
      if (sum.reason === undefined && reason !== undefined) sum.reason = reason;
    }
    out.push(...summed.values());
    return out;
  }

  private edgeGroup(edgeId: string): string | undefined {
    // Findings rarely name edges: the map is only made for the first that does.
    this.edgeById ??= new Map(this.graph.edges.map((e) => [e.id, e]));
    const e = this.edgeById.get(edgeId);
    return e && this.groupOf.get(e.source);
  }
}

type Summed = EdgeOf<'summed'>;

/** A group's counts from its box, and its most severe finding. */
function groupSummary(box: HostNode, findings: ReadonlySet<Finding> | undefined): GroupProblems {
  let worst: Finding | undefined;
  for (const f of findings ?? []) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst.severity]) worst = f;
  const c = box.collapsed;
  return {
    pods: c?.pods ?? 0,
    findings: c?.findings ?? 0,
    ...(c?.severity ? { severity: c.severity } : {}),
    ...(worst ? { worst: { rule: worst.rule, message: worst.message } } : {}),
  };
}

/** The collapsed box of a group: its leader host with counts, and its most severe finding. */
function summarize(p: GroupParts, findings: ReadonlySet<Finding> | undefined): HostNode {
  const count = (kind: GraphNode['kind']): number => p.nodes.filter((n) => n.kind === kind).length;
  const leader = p.nodes.find((n) => n.id === p.group.id);
  let severity: Severity | undefined;
  for (const f of findings ?? []) severity = worse(severity, f.severity);
  return {
    id: p.group.id,
    kind: 'host',
    label: p.group.label,
    hostKind: leader?.kind === 'host' ? leader.hostKind : 'other',
    errors: leader?.kind === 'host' ? leader.errors : 0,
    collapsed: {
      hosts: p.group.hosts.length,
      netns: count('netns'),
      interfaces: count('interface'),
      tunnels: p.edges.filter((e) => e.kind === 'vxlan-tunnel').length,
      pods: count('pod'),
      findings: findings?.size ?? 0,
      ...(severity ? { severity } : {}),
    },
  };
}
