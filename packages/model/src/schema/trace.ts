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
  Type.Literal('ovs'),
  /** A netfilter hook (nftables, iptables): its chains, by priority. */
  Type.Literal('netfilter'),
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

/**
 * The filter rule a hop met: a netfilter rule (nftables, or iptables of either backend) or a tc
 * filter, named so a person can find it, with its counter and the command that lists it.
 */
export const HopRuleSchema = Type.Object({
  backend: Type.Union([
    Type.Literal('nftables'),
    Type.Literal('iptables-nft'),
    Type.Literal('iptables-legacy'),
    Type.Literal('tc'),
  ]),
  /** Where the rule lives (a probe's hop, ARP or neighbour discovery, may stop at another namespace's). */
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
  /** nftables family (`ip`, `inet`, …), `ipv4`/`ipv6` for iptables, the direction for tc. */
  family: Type.String(),
  /** Table (netfilter) or device (tc). */
  table: Type.String(),
  /** Chain (netfilter) or tc chain number. */
  chain: Type.String(),
  /** nftables handle, iptables rule number in its chain, or tc preference; absent for a chain's policy. */
  handle: Type.Optional(Type.Integer()),
  /** The rule as its tool writes it; shown as text. */
  text: Type.String(),
  comment: Type.Optional(Type.String()),
  packets: Type.Optional(Type.Number({ minimum: 0 })),
  bytes: Type.Optional(Type.Number({ minimum: 0 })),
  /** The command that lists it, to run on the host. */
  command: Type.String(),
});
export type HopRule = Type.Static<typeof HopRuleSchema>;

/** An OpenFlow rule a packet met in Open vSwitch, or a table it found no rule in (`miss`). */
export const HopOpenFlowRuleSchema = Type.Object({
  bridge: Type.String(),
  table: Type.Integer({ minimum: 0 }),
  priority: Type.Optional(Type.Integer({ minimum: 0 })),
  cookie: Type.Optional(Type.String()),
  match: Type.String(),
  actions: Type.Array(Type.String()),
  miss: Type.Boolean(),
});
export type HopOpenFlowRule = Type.Static<typeof HopOpenFlowRuleSchema>;

/** What Open vSwitch did with the packet at an `ovs` hop, in its own words (`ofproto/trace`). */
export const HopOpenFlowSchema = Type.Object({
  bridge: Type.String(),
  /** The packet as ofproto/trace was asked about it. */
  flow: Type.String(),
  ctNext: Type.Optional(Type.String()),
  /** recorded at collection, asked live of the node's agent, or none to be had (offline). */
  answer: Type.Union([Type.Literal('recorded'), Type.Literal('live'), Type.Literal('none')]),
  answeredAt: Type.Optional(Type.String()),
  /** The command that asks the node's switch the same question. */
  command: Type.Array(Type.String()),
  rules: Type.Array(HopOpenFlowRuleSchema),
  datapathActions: Type.Optional(Type.String()),
});
export type HopOpenFlow = Type.Static<typeof HopOpenFlowSchema>;

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
  /** The filter rule that decided this hop (dropped, rejected, or could not be evaluated). */
  rule: Type.Optional(HopRuleSchema),
  /**
   * Where the hop drops the packet: the name the kernel gives this drop (`enum skb_drop_reason`, as
   * the `skb:kfree_skb` tracepoint prints it: IP_RPFILTER, OTHERHOST, …), or the error ping's send
   * gets (ENETUNREACH) when no packet is made. Absent where the tracer does not predict one.
   */
  dropReason: Type.Optional(Type.String()),
  /** At an Open vSwitch hop: the rules the packet met and the switch's datapath actions. */
  openflow: Type.Optional(HopOpenFlowSchema),
});
export type Hop = Type.Static<typeof HopSchema>;

/** The transport a trace sends: ICMP echo (ping), a TCP connect, a UDP request and its reply. */
export const TraceProtoSchema = Type.Union([Type.Literal('icmp'), Type.Literal('tcp'), Type.Literal('udp')]);
export type TraceProto = Type.Static<typeof TraceProtoSchema>;

/**
 * One way a random choice on the path can go (kube-proxy picking one of a Service's endpoints),
 * traced to its own end: what it leads to (`label`, the endpoint), how likely it is, its verdict.
 */
export const TraceBranchSchema = Type.Object({
  /** What this branch chose at each random choice, in order (`10.244.1.5:8080`). */
  label: Type.String(),
  probability: Type.Number({ minimum: 0, maximum: 1 }),
  verdict: VerdictSchema,
  hops: Type.Array(HopSchema),
});
export type TraceBranch = Type.Static<typeof TraceBranchSchema>;

export const TraceResultSchema = Type.Object({
  from: Type.Object({ host: Type.String(), netns: Type.Union([Type.String(), Type.Null()]) }),
  to: Type.String(),
  /** The Service asked for (`namespace/name:port`, as kube-proxy names it); `to` is its ClusterIP. */
  service: Type.Optional(Type.String()),
  /** Absent in traces made before L4 flows: ICMP. */
  proto: Type.Optional(TraceProtoSchema),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  /**
   * Round trip: delivered only when the request and its reply both arrive, as `ping` or a TCP
   * handshake needs. With branches: delivered when every branch is, dropped when any is (some
   * connections fail), else unknown.
   */
  verdict: VerdictSchema,
  /** The hops of the first branch with that verdict (all of them without branches). */
  hops: Type.Array(HopSchema),
  /** One per way the path's random choices can go (one per Service endpoint); absent without any. */
  branches: Type.Optional(Type.Array(TraceBranchSchema)),
  /** In words, with branches: `2 of 3 branches delivered; 10.244.2.7:8080 dropped at …`. */
  summary: Type.Optional(Type.String()),
});
export type TraceResult = Type.Static<typeof TraceResultSchema>;
