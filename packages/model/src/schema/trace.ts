import Type from 'typebox';

/** Where in the stack a hop happens (vocabulary after Antrea Traceflow). */
export const ComponentSchema = Type.Union([
  Type.Literal('routing'),
  Type.Literal('neighbor'),
  Type.Literal('veth'),
  Type.Literal('bridge'),
  Type.Literal('tc'),
  Type.Literal('vxlan-encap'),
  Type.Literal('underlay'),
  Type.Literal('vxlan-decap'),
  Type.Literal('l2-receive'),
  Type.Literal('local-delivery'),
  /** Devices stacked on a lower one, and bonds: how they switch frames. */
  Type.Literal('macvlan'),
  Type.Literal('ipvlan'),
  Type.Literal('vlan'),
  Type.Literal('bond'),
  /** Connection tracking (a full table drops new connections) and NAT. */
  Type.Literal('conntrack'),
  Type.Literal('nat'),
]);
export type Component = Type.Static<typeof ComponentSchema>;

export const VerdictSchema = Type.Union([Type.Literal('delivered'), Type.Literal('dropped'), Type.Literal('unknown')]);
export type Verdict = Type.Static<typeof VerdictSchema>;

export const HopSchema = Type.Object({
  direction: Type.Union([Type.Literal('request'), Type.Literal('reply')]),
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
  interface: Type.Union([Type.String(), Type.Null()]),
  /** Graph id of the element this hop happens at (interface or netns). */
  element: Type.String(),
  component: ComponentSchema,
  action: Type.Union([Type.Literal('forwarded'), Type.Literal('delivered'), Type.Literal('dropped')]),
  verdict: Type.Union([Type.Literal('ok'), Type.Literal('dropped'), Type.Literal('unknown')]),
  reason: Type.String(),
  fix: Type.Optional(Type.String()),
  /**
   * Where the hop drops the packet: the name the kernel gives this drop (`enum skb_drop_reason`, as
   * the `skb:kfree_skb` tracepoint prints it: IP_RPFILTER, OTHERHOST, …), or the error ping's send
   * gets (ENETUNREACH) when no packet is made. Absent where the tracer does not predict one.
   */
  dropReason: Type.Optional(Type.String()),
});
export type Hop = Type.Static<typeof HopSchema>;

export const TraceResultSchema = Type.Object({
  from: Type.Object({ host: Type.String(), netns: Type.Union([Type.String(), Type.Null()]) }),
  to: Type.String(),
  /** Round trip: delivered only when the request and its reply both arrive, as `ping` needs. */
  verdict: VerdictSchema,
  hops: Type.Array(HopSchema),
});
export type TraceResult = Type.Static<typeof TraceResultSchema>;
