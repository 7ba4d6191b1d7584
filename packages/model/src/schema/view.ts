import Type from 'typebox';
import { GraphNodeKindSchema, GraphSchema } from './graph.ts';
import { SeveritySchema } from './snapshot.ts';

/**
 * A host group: a node and the pod VMs tunnelled to it alone, or a host on its own. The unit the
 * overview draws collapsed and expands on demand.
 */
export const HostGroupSchema = Type.Object({
  /** The graph id of the group's first host (the node): also the id of the collapsed box. */
  id: Type.String(),
  label: Type.String(),
  /** Graph ids of the hosts in the group, the leader first. */
  hosts: Type.Array(Type.String()),
  /** Position in the overview grid: stable for a snapshot, so nothing moves when a group expands. */
  slot: Type.Integer({ minimum: 0 }),
  expanded: Type.Boolean(),
});
export type HostGroup = Type.Static<typeof HostGroupSchema>;

/**
 * What the dashboard draws of a snapshot. `full`: the whole graph (small snapshots). `overview`: a
 * box per host group with edges between groups summed up, and the expanded groups in full.
 */
export const DisclosedGraphSchema = Type.Object({
  mode: Type.Union([Type.Literal('full'), Type.Literal('overview')]),
  graph: GraphSchema,
  groups: Type.Array(HostGroupSchema),
  /** Size of the whole graph, of which `graph` shows a part. */
  total: Type.Object({ nodes: Type.Integer(), edges: Type.Integer() }),
});
export type DisclosedGraph = Type.Static<typeof DisclosedGraphSchema>;

/** Groups to show in full: a comma-separated list of group ids. */
export const ViewQuerySchema = Type.Object({
  expand: Type.Optional(Type.String({ maxLength: 20_000 })),
});
export type ViewQuery = Type.Static<typeof ViewQuerySchema>;

/** What a search hit matched on. */
export const MatchFieldSchema = Type.Union([
  Type.Literal('ip'),
  Type.Literal('mac'),
  Type.Literal('interface'),
  Type.Literal('netns'),
  Type.Literal('host'),
  Type.Literal('pod'),
  /** A VXLAN device's VNI. */
  Type.Literal('vni'),
  /** An ARP/ND entry on the interface, matched by its IP or MAC. */
  Type.Literal('arp'),
]);
export type MatchField = Type.Static<typeof MatchFieldSchema>;

/** What to search: one kind of value, or `any`. */
export const SearchFieldSchema = Type.Union([Type.Literal('any'), MatchFieldSchema]);
export type SearchField = Type.Static<typeof SearchFieldSchema>;

export const SearchQuerySchema = Type.Object({
  q: Type.String({ minLength: 0, maxLength: 200 }),
  field: Type.Optional(SearchFieldSchema),
  /** Only elements with a finding at least this severe. */
  severity: Type.Optional(SeveritySchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type SearchQuery = Type.Static<typeof SearchQuerySchema>;

export const SearchHitSchema = Type.Object({
  /** Graph id of the element found. */
  id: Type.String(),
  kind: GraphNodeKindSchema,
  label: Type.String(),
  /** `host/netns` where it lives (empty for a host or pod). */
  where: Type.String(),
  /** Graph ids of the hosts it lives on: the groups to expand to show it. */
  hosts: Type.Array(Type.String()),
  /** What matched, and the value that did. */
  field: MatchFieldSchema,
  value: Type.String(),
  severity: Type.Optional(SeveritySchema),
});
export type SearchHit = Type.Static<typeof SearchHitSchema>;

export const SearchResultSchema = Type.Object({
  hits: Type.Array(SearchHitSchema),
  /** How many matched in all; `hits` holds the best `limit` of them. */
  total: Type.Integer({ minimum: 0 }),
});
export type SearchResult = Type.Static<typeof SearchResultSchema>;
