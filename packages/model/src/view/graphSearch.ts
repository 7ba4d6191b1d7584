import type { Finding } from '../schema/finding.ts';
import type { Graph, GraphNode } from '../schema/graph.ts';
import type { Severity } from '../schema/snapshot.ts';
import type { MatchField, SearchHit, SearchQuery, SearchResult } from '../schema/view.ts';
import { SEVERITY_RANK, worstByElement } from '../rules/severity.ts';
import { nodeHosts } from './nodeHosts.ts';

const DEFAULT_LIMIT = 50;

interface Candidate {
  readonly field: MatchField;
  /** What the hit shows. */
  readonly value: string;
  /** What the query is matched against, when not `value` itself. */
  readonly keys?: readonly string[];
}

/** Fields whose values are MACs (for an ARP entry, one of its keys). */
const MAC_FIELDS: ReadonlySet<MatchField> = new Set(['mac', 'arp']);

/**
 * A query that could be a MAC written with dashes (`0A-58-0A-84-02-2E`), Cisco's dots
 * (`0a58.0a84.022e`) or no separators, rewritten the way the kernel prints MACs (`0a:58:…`), or
 * undefined when it cannot be one.
 */
export function macForm(q: string): string | undefined {
  // Whole groups (the last may be cut short, as one types): an IP's dotted decimals never fit.
  const dashes = /^[0-9a-f]{2}(?:-[0-9a-f]{2})*(?:-[0-9a-f]{0,2})?$/.test(q) && q.includes('-');
  const dots = /^[0-9a-f]{4}(?:\.[0-9a-f]{4})*(?:\.[0-9a-f]{0,4})?$/.test(q) && q.includes('.');
  if (!dashes && !dots) return undefined;
  return q
    .replace(/[-.]/g, '')
    .match(/.{1,2}/g)
    ?.join(':');
}

/** The values of a node a search can match, each tagged with what it is. */
function candidates(n: GraphNode, arp: readonly Candidate[]): Candidate[] {
  switch (n.kind) {
    case 'host':
      return [{ field: 'host', value: n.label }];
    case 'netns':
      return [{ field: 'netns', value: n.label }];
    case 'pod':
      return [
        { field: 'pod', value: `${n.namespace}/${n.label}` },
        ...n.ips.map((value) => ({ field: 'ip' as const, value })),
      ];
    case 'interface':
      return [
        { field: 'interface', value: n.label },
        ...(n.mac ? [{ field: 'mac' as const, value: n.mac }] : []),
        ...n.addresses.map((value) => ({ field: 'ip' as const, value })),
        ...(n.vxlan ? [{ field: 'vni' as const, value: String(n.vxlan.vni) }] : []),
        ...arp,
      ];
    case 'remote':
      return [{ field: 'ip', value: n.address }];
  }
}

/** 0 exact, 1 prefix (an IP without its /len counts as exact), 2 substring, undefined no match. */
function rank(value: string, q: string): number | undefined {
  const v = value.toLowerCase();
  if (v === q || v.startsWith(`${q}/`)) return 0;
  if (v.startsWith(q)) return 1;
  return v.includes(q) ? 2 : undefined;
}

/** How well a candidate matches; an ARP entry a little after what owns the value, at each rank. */
function rankOf(c: Candidate, queries: readonly string[]): number | undefined {
  let best: number | undefined;
  for (const key of c.keys ?? [c.value])
    for (const q of queries) {
      const r = rank(key, q);
      if (r !== undefined && (best === undefined || r < best)) best = r;
    }
  return best === undefined ? undefined : c.field === 'arp' ? best + 0.5 : best;
}

/**
 * Search over one snapshot's graph: IPs, MACs (in any notation), interface, netns, host and pod names,
 * VNIs and ARP entries, optionally only
 * elements with a finding at least as severe as asked. Exact matches come first, then prefixes.
 */
export class GraphSearch {
  private readonly hostsOf: ReadonlyMap<string, readonly string[]>;
  private readonly labels: Map<string, string>;
  private readonly severity: Map<string, Severity>;
  /** ARP/ND entries by the interface that holds them. */
  private readonly arp = new Map<string, Candidate[]>();

  constructor(
    private readonly graph: Graph,
    findings: readonly Finding[],
    /** `nodeHosts(graph)`, when the caller already has it. */
    hostOf: ReadonlyMap<string, readonly string[]> = nodeHosts(graph),
  ) {
    this.hostsOf = hostOf;
    this.labels = new Map(
      graph.nodes.filter((n) => n.kind === 'host' || n.kind === 'netns').map((n) => [n.id, n.label]),
    );
    this.severity = worstByElement(findings);
    for (const e of graph.edges) {
      if (e.kind !== 'neighbor') continue;
      const entry = { field: 'arp' as const, value: `${e.ip} at ${e.mac}`, keys: [e.ip, e.mac] };
      const held = this.arp.get(e.source);
      if (held) held.push(entry);
      else this.arp.set(e.source, [entry]);
    }
  }

  search(query: SearchQuery): SearchResult {
    const q = query.q.trim().toLowerCase();
    const mac = macForm(q);
    const field = query.field ?? 'any';
    const min = query.severity === undefined ? undefined : SEVERITY_RANK[query.severity];
    const limit = query.limit ?? DEFAULT_LIMIT;
    const found: { hit: SearchHit; rank: number }[] = [];
    for (const n of this.graph.nodes) {
      const severity = this.severity.get(n.id);
      if (min !== undefined && (severity === undefined || SEVERITY_RANK[severity] < min)) continue;
      let best: { c: Candidate; rank: number } | undefined;
      for (const c of candidates(n, this.arp.get(n.id) ?? [])) {
        if (field !== 'any' && c.field !== field) continue;
        const r = q === '' ? 2 : rankOf(c, mac !== undefined && MAC_FIELDS.has(c.field) ? [q, mac] : [q]);
        if (r !== undefined && (!best || r < best.rank)) best = { c, rank: r };
      }
      if (!best) continue;
      found.push({
        rank: best.rank,
        hit: {
          id: n.id,
          kind: n.kind,
          label: n.label,
          where: this.where(n),
          hosts: [...(this.hostsOf.get(n.id) ?? [])],
          field: best.c.field,
          value: best.c.value,
          ...(severity ? { severity } : {}),
        },
      });
    }
    found.sort((a, b) => a.rank - b.rank || a.hit.label.localeCompare(b.hit.label) || a.hit.id.localeCompare(b.hit.id));
    return { hits: found.slice(0, limit).map((f) => f.hit), total: found.length };
  }

  private where(n: GraphNode): string {
    if (n.kind === 'interface') {
      const ns = n.parent === undefined ? undefined : this.labels.get(n.parent);
      const host = this.hostsOf.get(n.id)?.[0];
      return `${host ? (this.labels.get(host) ?? '') : ''}/${ns ?? ''}`;
    }
    if (n.kind === 'netns') {
      const host = this.hostsOf.get(n.id)?.[0];
      return host ? (this.labels.get(host) ?? '') : '';
    }
    return '';
  }
}
