import Type from 'typebox';

export const GraphNodeKindSchema = Type.Union([
  Type.Literal('host'),
  Type.Literal('netns'),
  Type.Literal('interface'),
  Type.Literal('pod'),
]);

export const GraphNodeSchema = Type.Object({
  id: Type.String(),
  kind: GraphNodeKindSchema,
  label: Type.String(),
  /** Compound parent: host ⊃ netns ⊃ interface. The `contains` relation. */
  parent: Type.Optional(Type.String()),
  /** Short facts shown beside the node: MAC, addresses, VNI, host kind. */
  details: Type.Record(Type.String(), Type.String()),
});
export type GraphNode = Type.Static<typeof GraphNodeSchema>;

export const GraphEdgeKindSchema = Type.Union([
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
export type GraphEdgeKind = Type.Static<typeof GraphEdgeKindSchema>;

export const GraphEdgeSchema = Type.Object({
  id: Type.String(),
  kind: GraphEdgeKindSchema,
  source: Type.String(),
  target: Type.String(),
  label: Type.String(),
  /** An edge that cannot carry traffic as configured (a tunnel end with no partner, …). */
  broken: Type.Boolean(),
  details: Type.Record(Type.String(), Type.String()),
});
export type GraphEdge = Type.Static<typeof GraphEdgeSchema>;

export const GraphSchema = Type.Object({ nodes: Type.Array(GraphNodeSchema), edges: Type.Array(GraphEdgeSchema) });
export type Graph = Type.Static<typeof GraphSchema>;
