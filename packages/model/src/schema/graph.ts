import Type, { type TProperties } from 'typebox';
import { HostKindSchema } from './inventory.ts';
import { SeveritySchema } from './snapshot.ts';

/*
 * The graph the dashboard draws: one shape per kind of node and edge, told apart by `kind`. Every
 * fact is typed (numbers are numbers, flags are booleans), so nothing is parsed back from text. Ids
 * are made and read by packages/model/src/ids.ts. A 5,000-node cluster has ~10⁶ edges: an edge
 * carries only what its kind needs, and no empty fields.
 */

/** A link as traffic sees it: up, administratively down, or up without carrier (no frame passes). */
export const LinkStateSchema = Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('no-carrier')]);
export type LinkState = Type.Static<typeof LinkStateSchema>;

/** What a collapsed host group holds, for the box that stands for it in an overview. */
export const GroupSummarySchema = Type.Object({
  hosts: Type.Integer({ minimum: 0 }),
  netns: Type.Integer({ minimum: 0 }),
  interfaces: Type.Integer({ minimum: 0 }),
  pods: Type.Integer({ minimum: 0 }),
  tunnels: Type.Integer({ minimum: 0 }),
  findings: Type.Integer({ minimum: 0 }),
  /** The most severe finding on anything in the group. */
  severity: Type.Optional(SeveritySchema),
});
export type GroupSummary = Type.Static<typeof GroupSummarySchema>;

export const HostNodeSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal('host'),
  label: Type.String(),
  hostKind: HostKindSchema,
  /** Commands or sources that failed while collecting this host. */
  errors: Type.Integer({ minimum: 0 }),
  /** Present when the node is the box of a collapsed host group (overview), led by this host. */
  collapsed: Type.Optional(GroupSummarySchema),
});
export type HostNode = Type.Static<typeof HostNodeSchema>;

export const NetnsNodeSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal('netns'),
  label: Type.String(),
  /** The host holding it (compound parent). */
  parent: Type.String(),
  /** The host's own namespace (the one its physical NICs and routes to other hosts live in). */
  root: Type.Boolean(),
  /** Its packet filters at a glance; absent where they were not collected. */
  firewall: Type.Optional(
    Type.Object({
      tables: Type.Integer({ minimum: 0 }),
      chains: Type.Integer({ minimum: 0 }),
      rules: Type.Integer({ minimum: 0 }),
    }),
  ),
  /**
   * Its listening sockets in words (`tcp 0.0.0.0:8080`), the first 32 (graph/listeningFacts.ts) of `total`;
   * `truncated` where the collector cut the list. Absent where they were not collected.
   */
  listening: Type.Optional(
    Type.Object({
      sockets: Type.Array(Type.String(), { maxItems: 32 }),
      total: Type.Integer({ minimum: 0 }),
      truncated: Type.Boolean(),
    }),
  ),
});
export type NetnsNode = Type.Static<typeof NetnsNodeSchema>;

export const VxlanFactsSchema = Type.Object({
  vni: Type.Integer({ minimum: 0 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  remote: Type.Optional(Type.String()),
});
export type VxlanFacts = Type.Static<typeof VxlanFactsSchema>;

/** What a device is to Open vSwitch (from OVSDB): a bridge, drawn as a switch, or one of its ports. */
export const OvsFactsSchema = Type.Union([
  Type.Object({
    role: Type.Literal('bridge'),
    /** `netdev` (userspace) or `system` (the kernel module). */
    datapath: Type.String(),
    /** OpenFlow rules installed (as dump-flows counted them, before any cap on what was kept). */
    flows: Type.Integer({ minimum: 0 }),
  }),
  Type.Object({
    role: Type.Union([Type.Literal('port'), Type.Literal('internal-port')]),
    bridge: Type.String(),
    ofport: Type.Optional(Type.Integer()),
    /** `external_ids:iface-id`, which OVN binds the port's logical switch port by. */
    ifaceId: Type.Optional(Type.String()),
    /** The pod that iface-id names (`namespace/name`), when it names one. */
    pod: Type.Optional(Type.String()),
  }),
]);
export type OvsFacts = Type.Static<typeof OvsFactsSchema>;

export const InterfaceNodeSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal('interface'),
  /** The device name. */
  label: Type.String(),
  /** The netns holding it (compound parent). */
  parent: Type.String(),
  /** `veth`, `vxlan`, `bridge`, `device` (a plain NIC), … as the collector reports it. */
  linkKind: Type.String(),
  mac: Type.Optional(Type.String()),
  mtu: Type.Integer({ minimum: 0 }),
  state: LinkStateSchema,
  /** `address/prefix`, global ones first as collected. */
  addresses: Type.Array(Type.String()),
  vxlan: Type.Optional(VxlanFactsSchema),
  ovs: Type.Optional(OvsFactsSchema),
});
export type InterfaceNode = Type.Static<typeof InterfaceNodeSchema>;

export const PodNodeSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal('pod'),
  /** The pod's name. */
  label: Type.String(),
  namespace: Type.String(),
  ips: Type.Array(Type.String()),
  /**
   * Found from its network namespace, Kubernetes not asked (see inferPods): its name is its switch
   * port's or its namespace's, and without a port its `namespace` is its node's name.
   */
  inferred: Type.Optional(Type.Literal(true)),
});
export type PodNode = Type.Static<typeof PodNodeSchema>;

/** Where a VXLAN remote that no collected host owns would be: the far end of a broken tunnel. */
export const RemoteNodeSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal('remote'),
  label: Type.String(),
  /** The remote address the tunnel sends to. */
  address: Type.String(),
});
export type RemoteNode = Type.Static<typeof RemoteNodeSchema>;

// Interfaces first: most nodes are interfaces, and a union is checked member by member.
export const GraphNodeSchema = Type.Union([
  InterfaceNodeSchema,
  NetnsNodeSchema,
  PodNodeSchema,
  HostNodeSchema,
  RemoteNodeSchema,
]);
export type GraphNode = Type.Static<typeof GraphNodeSchema>;
export type GraphNodeKind = GraphNode['kind'];

export const GraphNodeKindSchema = Type.Union([
  Type.Literal('host'),
  Type.Literal('netns'),
  Type.Literal('interface'),
  Type.Literal('pod'),
  Type.Literal('remote'),
]);

/** An edge of one kind from `source` to `target` (node ids), with the facts that kind carries. */
const edge = <K extends string, P extends TProperties = Record<never, never>>(kind: K, facts: P = {} as P) =>
  Type.Object({ id: Type.String(), kind: Type.Literal(kind), source: Type.String(), target: Type.String(), ...facts });

/** A pod (source) and a namespace that holds it (target). */
export const ContainsEdgeSchema = edge('contains');
/** The two ends of a veth pair on one host. */
export const VethEdgeSchema = edge('veth');
/** A bridge port (source) and its bridge (target). */
export const BridgePortEdgeSchema = edge('bridge-port');

/**
 * What carries packets between hosts: `wire`, the two ends of a link between two hosts (a veth pair
 * across them, in the lab); `socket`, a VXLAN device (source) and the device its UDP socket sends
 * through (target).
 */
export const UnderlayEdgeSchema = edge('underlay', {
  via: Type.Union([Type.Literal('wire'), Type.Literal('socket')]),
});

/**
 * A port of an Open vSwitch bridge (source: the port's device, target: the bridge's), from OVSDB:
 * the kernel shows no master on the userspace datapath. `reason` when the switch could not use it.
 */
export const OvsPortEdgeSchema = edge('ovs-port', {
  bridge: Type.String(),
  ofport: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
});

/** A tc filter on `source` that redirects every packet to `target` (mirred). */
export const TcRedirectEdgeSchema = edge('tc-redirect', {
  hook: Type.Union([Type.Literal('ingress'), Type.Literal('egress')]),
});

/**
 * Two VXLAN ends that carry each other's frames, or, with `reason`, a broken end (source) and what it
 * points at: a partner that does not match, the netns owning its remote, or a remote placeholder.
 */
export const VxlanTunnelEdgeSchema = edge('vxlan-tunnel', {
  vni: Type.Integer({ minimum: 0 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** The source end's remote. */
  remote: Type.Optional(Type.String()),
  /** Why the tunnel cannot carry traffic as configured; absent on a working tunnel. */
  reason: Type.Optional(Type.String()),
  /**
   * Why whether it carries traffic cannot be told: its other end, or the remote's owner, may be in
   * what a failed collection left out. Never with `reason`: unknown, not broken.
   */
  untold: Type.Optional(Type.String()),
});

/** An ARP/ND entry on `source` for `ip`, whose MAC belongs to `target`. */
export const NeighborEdgeSchema = edge('neighbor', {
  ip: Type.String(),
  mac: Type.String(),
  /** NUD states as the kernel names them (REACHABLE, STALE, PERMANENT, …). */
  state: Type.Array(Type.String()),
});

/** Every kind of edge the topology has, as built from a snapshot. */
export const TopologyEdgeKindSchema = Type.Union([
  Type.Literal('contains'),
  Type.Literal('veth'),
  Type.Literal('bridge-port'),
  /** A port of an Open vSwitch bridge (from OVSDB: the kernel shows no master on the userspace datapath). */
  Type.Literal('ovs-port'),
  Type.Literal('tc-redirect'),
  Type.Literal('vxlan-tunnel'),
  Type.Literal('underlay'),
  Type.Literal('neighbor'),
]);
export type TopologyEdgeKind = Type.Static<typeof TopologyEdgeKindSchema>;

/**
 * In an overview, the edges of one kind between two drawn elements of which at least one is a
 * collapsed group's box, summed up into one.
 */
export const SummedEdgeSchema = edge('summed', {
  /** The kind of the edges summed. */
  of: TopologyEdgeKindSchema,
  count: Type.Integer({ minimum: 1 }),
  /** The most severe finding naming one of them. */
  severity: Type.Optional(SeveritySchema),
  /** Why one of them is broken, when one is. */
  reason: Type.Optional(Type.String()),
});

// Most frequent first: neighbor entries and veth pairs are most of a large graph's edges.
export const GraphEdgeSchema = Type.Union([
  NeighborEdgeSchema,
  VethEdgeSchema,
  ContainsEdgeSchema,
  BridgePortEdgeSchema,
  OvsPortEdgeSchema,
  TcRedirectEdgeSchema,
  VxlanTunnelEdgeSchema,
  UnderlayEdgeSchema,
  SummedEdgeSchema,
]);
export type GraphEdge = Type.Static<typeof GraphEdgeSchema>;
export type GraphEdgeKind = GraphEdge['kind'];
/** One kind of edge, by its `kind`. */
export type EdgeOf<K extends GraphEdgeKind> = Extract<GraphEdge, { kind: K }>;

export const GraphSchema = Type.Object({ nodes: Type.Array(GraphNodeSchema), edges: Type.Array(GraphEdgeSchema) });
export type Graph = Type.Static<typeof GraphSchema>;

/** The compound parent of a node: the host of a netns, the netns of an interface. */
export const nodeParent = (n: GraphNode): string | undefined =>
  n.kind === 'netns' || n.kind === 'interface' ? n.parent : undefined;

/** True for an edge that cannot carry traffic as configured (or, summed, one of whose edges cannot). */
export const isBrokenEdge = (e: GraphEdge): boolean =>
  (e.kind === 'vxlan-tunnel' || e.kind === 'ovs-port' || e.kind === 'summed') && e.reason !== undefined;
