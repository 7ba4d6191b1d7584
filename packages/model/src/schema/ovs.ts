import Type from 'typebox';

/**
 * An Open vSwitch interface as OVSDB holds it. `type` is OVSDB's: empty for a system device (a
 * veth), `internal` for a port whose device the switch itself creates (OVN-K's `ovn-k8s-mp0`),
 * `patch`, `geneve`, … `externalIds` is where the CNI records the pod: OVN-Kubernetes sets
 * `iface-id` (`<namespace>_<pod>`, the logical port), `attached_mac` (the MAC OVN's port security
 * admits), `ip_addresses`, and ovn-controller `ovn-installed=true` once the port's flows are in.
 */
export const OvsInterfaceSchema = Type.Object({
  name: Type.String(),
  type: Type.String(),
  /** OpenFlow port number; absent while the switch has not attached it (or could not). */
  ofport: Type.Optional(Type.Integer()),
  /** The datapath's own port number: what `Datapath actions` of ofproto/trace name. */
  dpPort: Type.Optional(Type.Integer({ minimum: 0 })),
  /** `mac_in_use`: the MAC the device really has. */
  mac: Type.Optional(Type.String()),
  externalIds: Type.Record(Type.String(), Type.String()),
  /** Why the switch could not attach it (OVSDB `error`), e.g. the device does not exist. */
  error: Type.Optional(Type.String()),
});
export type OvsInterface = Type.Static<typeof OvsInterfaceSchema>;

export const OvsPortSchema = Type.Object({
  name: Type.String(),
  interfaces: Type.Array(OvsInterfaceSchema),
  /** Access VLAN tag. */
  tag: Type.Optional(Type.Integer({ minimum: 0, maximum: 4095 })),
});
export type OvsPort = Type.Static<typeof OvsPortSchema>;

/** One match field of an OpenFlow rule: `in_port=3` is `{field: 'in_port', value: '3'}`, `arp` has no value. */
export const FlowMatchFieldSchema = Type.Object({ field: Type.String(), value: Type.Optional(Type.String()) });
export type FlowMatchField = Type.Static<typeof FlowMatchFieldSchema>;

/** One OpenFlow rule as `ovs-ofctl dump-flows` prints it. */
export const OpenFlowRuleSchema = Type.Object({
  table: Type.Integer({ minimum: 0, maximum: 255 }),
  priority: Type.Integer({ minimum: 0, maximum: 65535 }),
  /** `0x…` as printed: OVN puts the first 32 bits of its logical flow's UUID here. */
  cookie: Type.String(),
  match: Type.Array(FlowMatchFieldSchema),
  /** Top-level actions, each as printed (`resubmit(,10)`, `output:2`, `drop`). */
  actions: Type.Array(Type.String()),
  packets: Type.Number({ minimum: 0 }),
  bytes: Type.Number({ minimum: 0 }),
});
export type OpenFlowRule = Type.Static<typeof OpenFlowRuleSchema>;

export const OvsBridgeSchema = Type.Object({
  name: Type.String(),
  /** `system` (the kernel module) or `netdev` (userspace); OVSDB leaves it empty for system. */
  datapathType: Type.String(),
  failMode: Type.Optional(Type.String()),
  ports: Type.Array(OvsPortSchema),
  flows: Type.Array(OpenFlowRuleSchema),
  /** How many rules the bridge had when more than hoplens keeps (`flows` holds the first ones). */
  flowsTotal: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type OvsBridge = Type.Static<typeof OvsBridgeSchema>;

/**
 * What `ovs-appctl ofproto/trace BRIDGE FLOW [--ct-next STATE]` answered for one packet: the text,
 * kept as OVS printed it and parsed by the tracer. Recorded at collection for the packets users
 * trace most, or asked live of a node's agent.
 */
export const OvsTraceAnswerSchema = Type.Object({
  bridge: Type.String(),
  /** The flow in ofproto/trace's syntax, as hoplens writes it for a packet (see trace/ovsFlow). */
  flow: Type.String(),
  /** Conntrack state each `ct` action resumes with (`trk,new`); absent for ARP. */
  ctNext: Type.Optional(Type.String()),
  output: Type.String(),
  answeredAt: Type.String(),
});
export type OvsTraceAnswer = Type.Static<typeof OvsTraceAnswerSchema>;

/**
 * A host's Open vSwitch: read from OVSDB (JSON-RPC, RFC 7047) and the switch's control socket. The
 * devices it names live in the host's root namespace, where ovs-vswitchd runs.
 */
export const OvsInventorySchema = Type.Object({
  /** The OVSDB socket it was read from. */
  dbSocket: Type.String(),
  /** Where ovs-vswitchd keeps its sockets (`/var/run/openvswitch` by default). */
  runDir: Type.String(),
  /**
   * ovs-vswitchd's control socket (`RUNDIR/ovs-vswitchd.PID.ctl`) where the run directory is not the
   * default one: commands hoplens prints name it with `ovs-appctl -t`.
   */
  control: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  bridges: Type.Array(OvsBridgeSchema),
  traces: Type.Array(OvsTraceAnswerSchema),
  /**
   * How many OVSDB rows (bridges, ports, interfaces) could not be read, each named in the host's
   * errors: a device may be a port of the switch without `bridges` saying so. Absent: all were read.
   */
  unreadRows: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type OvsInventory = Type.Static<typeof OvsInventorySchema>;

/**
 * A question for a node's switch, as a server asks an agent (`GET /v1/ofproto-trace`): only a flow
 * in the syntax hoplens writes (`key=value` fields of letters, digits and address punctuation), a
 * bridge name without control characters, a conntrack state of flag words. Nothing a shell or
 * ofproto/trace's options could read as more than a packet.
 */
export const OvsTraceRequestSchema = Type.Object({
  /** Which of the agent's hosts, where it serves several (a lab); its only one otherwise. */
  host: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$' })),
  bridge: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f/]+$' }),
  flow: Type.String({
    minLength: 3,
    maxLength: 1024,
    pattern: '^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*(=[0-9A-Za-z:._/+-]+)?)*$',
  }),
  ctNext: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z]+(,[a-z]+)*$' })),
});
export type OvsTraceRequest = Type.Static<typeof OvsTraceRequestSchema>;

/** The agent's answer to an OvsTraceRequest. */
export const OvsTraceReplySchema = Type.Object({ answer: OvsTraceAnswerSchema });
export type OvsTraceReply = Type.Static<typeof OvsTraceReplySchema>;
