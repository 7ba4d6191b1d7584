import Type from 'typebox';
import { OvsInventorySchema } from './ovs.ts';
import { LinkRefSchema, NetnsRefSchema } from './refs.ts';
import { FirewallSchema } from './firewall.ts';
import { UnrepliedUdpSchema } from './conntrack.ts';
import { SysctlsSchema } from './sysctls.ts';
import { ListeningSocketsSchema } from './sockets.ts';
import { TcClassifierSchema, TcControlSchema } from './tcClassifier.ts';

/** VXLAN device data. The socket lives in the namespace the device was created in, not where it sits now. */
export const VxlanInfoSchema = Type.Object({
  vni: Type.Integer({ minimum: 0 }),
  remote: Type.Optional(Type.String()),
  local: Type.Optional(Type.String()),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  /**
   * `srcport LOW HIGH`: the outer UDP source ports it picks among by a hash of the inner flow (ports
   * LOW to HIGH-1); absent where none is set (0 0: its namespace's ip_local_port_range) or collected.
   */
  srcPorts: Type.Optional(
    Type.Object({
      low: Type.Integer({ minimum: 0, maximum: 65535 }),
      high: Type.Integer({ minimum: 0, maximum: 65535 }),
    }),
  ),
  learning: Type.Boolean(),
  /** Namespace whose UDP socket sends and receives the tunnel's packets; absent when it was not collected. */
  socketNetns: Type.Optional(NetnsRefSchema),
  /** Underlay device, resolved in the socket's namespace. */
  underlay: Type.Optional(LinkRefSchema),
});
export type VxlanInfo = Type.Static<typeof VxlanInfoSchema>;

/** What a link kind adds beyond the common fields (veth, vxlan and bridge have their own fields). */
export const KindDataSchema = Type.Union([
  Type.Object({ kind: Type.Literal('vlan'), id: Type.Integer({ minimum: 0 }), protocol: Type.String() }),
  Type.Object({ kind: Type.Literal('macvlan'), mode: Type.String() }),
  Type.Object({
    kind: Type.Literal('ipvlan'),
    /** l2, l3 or l3s. */
    mode: Type.String(),
    /** bridge (the default), private or vepa; absent in snapshots taken before hoplens collected it. */
    flags: Type.Optional(Type.String()),
  }),
  Type.Object({ kind: Type.Literal('bond'), mode: Type.String() }),
  /**
   * A bridge's VLAN settings (IFLA_BR_VLAN_*): with `vlanFiltering` on, each port (and the bridge's
   * own `self` port) passes only the VLANs of its `bridgeVlans`. A kernel built without
   * CONFIG_BRIDGE_VLAN_FILTERING reports filtering off and no protocol or default PVID. Absent in
   * snapshots taken before hoplens collected it (filtering is then taken as off).
   */
  Type.Object({
    kind: Type.Literal('bridge'),
    vlanFiltering: Type.Boolean(),
    /** 802.1Q or 802.1ad (the tag the bridge filters on). */
    vlanProtocol: Type.Optional(Type.String()),
    /** The PVID a new port gets (0: none). */
    defaultPvid: Type.Optional(Type.Integer({ minimum: 0, maximum: 4095 })),
  }),
  Type.Object({ kind: Type.Literal('tun'), type: Type.Union([Type.Literal('tun'), Type.Literal('tap')]) }),
  Type.Object({
    kind: Type.Literal('geneve'),
    vni: Type.Integer({ minimum: 0 }),
    remote: Type.Optional(Type.String()),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  }),
]);
export type KindData = Type.Static<typeof KindDataSchema>;

/**
 * What a device's master says of it as a port (`ip -d link`'s info_slave_data): a bridge port's STP
 * state and hairpin mode (frames may leave by the port they came in on), a bond slave's state.
 */
export const SlaveDataSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('bridge'),
    /** disabled, listening, learning, forwarding or blocking: only a forwarding port passes frames. */
    state: Type.String(),
    hairpin: Type.Boolean(),
    /**
     * The port's flags (`bridge link set … learning/flood/mcast_flood/bcast_flood/isolated`); absent in
     * snapshots taken before hoplens collected them, where the kernel's defaults stand (all on but
     * isolated).
     */
    flags: Type.Optional(
      Type.Object({
        learning: Type.Boolean(),
        /** Unicast to an unlearnt MAC goes out of this port. */
        flood: Type.Boolean(),
        mcastFlood: Type.Boolean(),
        bcastFlood: Type.Boolean(),
        /** Isolated ports exchange no frames with each other, only with ports that are not. */
        isolated: Type.Boolean(),
      }),
    ),
  }),
  Type.Object({ kind: Type.Literal('bond'), state: Type.Union([Type.Literal('active'), Type.Literal('backup')]) }),
]);
export type SlaveData = Type.Static<typeof SlaveDataSchema>;

/**
 * A VLAN (or a run of them, `vid`..`vidEnd`, same flags) a bridge port or the bridge itself carries
 * (`bridge -c vlan show`, IFLA_BRIDGE_VLAN_INFO): untagged frames arriving on the port join its
 * `pvid` VLAN; frames of an `untagged` VLAN leave the port with their tag taken off.
 */
export const BridgeVlanSchema = Type.Object({
  vid: Type.Integer({ minimum: 1, maximum: 4094 }),
  vidEnd: Type.Optional(Type.Integer({ minimum: 1, maximum: 4094 })),
  pvid: Type.Boolean(),
  untagged: Type.Boolean(),
});
export type BridgeVlan = Type.Static<typeof BridgeVlanSchema>;

/**
 * Counters that prove drops. `rxOtherhostDropped` counts frames dropped because their destination
 * MAC was another host's (the seed fault), where the kernel (5.19+) and the collector report it.
 */
export const LinkStatsSchema = Type.Object({
  rxPackets: Type.Number({ minimum: 0 }),
  rxBytes: Type.Number({ minimum: 0 }),
  rxErrors: Type.Number({ minimum: 0 }),
  rxDropped: Type.Number({ minimum: 0 }),
  txPackets: Type.Number({ minimum: 0 }),
  txBytes: Type.Number({ minimum: 0 }),
  txErrors: Type.Number({ minimum: 0 }),
  txDropped: Type.Number({ minimum: 0 }),
  rxOtherhostDropped: Type.Optional(Type.Number({ minimum: 0 })),
});
export type LinkStats = Type.Static<typeof LinkStatsSchema>;

export const LinkSchema = Type.Object({
  ifindex: Type.Integer({ minimum: 0 }),
  name: Type.String(),
  /** `info_kind` from iproute2 (veth, vxlan, bridge, …), `loopback`, or `device` for plain NICs. */
  kind: Type.String(),
  mac: Type.Union([Type.String(), Type.Null()]),
  mtu: Type.Integer({ minimum: 0 }),
  adminUp: Type.Boolean(),
  carrier: Type.Boolean(),
  operstate: Type.String(),
  promiscuous: Type.Boolean(),
  /**
   * IFF_NOARP (`ip link set DEV arp off`; ipvlan l3, tun and wireguard devices have it too): the
   * device asks no ARP (a new neighbour entry takes the device's own MAC) and answers none. Absent
   * where the flag is clear, or in snapshots taken before hoplens collected it.
   */
  noarp: Type.Optional(Type.Literal(true)),
  masterIfindex: Type.Optional(Type.Integer()),
  /** veth peer, resolved across namespaces; absent when the peer is gone or not collected. */
  peer: Type.Optional(LinkRefSchema),
  /** Raw peer ifindex as the kernel reported it, kept when `peer` cannot be resolved. */
  peerIfindex: Type.Optional(Type.Integer()),
  vxlan: Type.Optional(VxlanInfoSchema),
  /** The lower device of a vlan, macvlan or ipvlan, resolved across namespaces. */
  parent: Type.Optional(LinkRefSchema),
  kindData: Type.Optional(KindDataSchema),
  /** As a port of a bridge or bond; absent in snapshots taken before hoplens collected it. */
  slave: Type.Optional(SlaveDataSchema),
  /**
   * The VLANs of a bridge port, or of a bridge's own port (`self`); absent where the device is
   * neither, or in snapshots taken before hoplens collected them.
   */
  bridgeVlans: Type.Optional(Type.Array(BridgeVlanSchema, { maxItems: 4094 })),
  stats: Type.Optional(LinkStatsSchema),
});
export type Link = Type.Static<typeof LinkSchema>;

export const AddressSchema = Type.Object({
  ifindex: Type.Integer(),
  family: Type.Union([Type.Literal('inet'), Type.Literal('inet6')]),
  address: Type.String(),
  prefixlen: Type.Integer({ minimum: 0, maximum: 128 }),
  scope: Type.String(),
  /**
   * The address's state where it is not plainly usable (IFA_F_*, as `ip addr` prints them):
   * `tentative` (duplicate address detection still running), `dadfailed`, `optimistic`,
   * `deprecated` (preferred_lft 0). Absent when none, and in snapshots taken before hoplens
   * collected it.
   */
  flags: Type.Optional(Type.Array(Type.String())),
});
export type Address = Type.Static<typeof AddressSchema>;

export const RouteSchema = Type.Object({
  /** Address family; `ip` prints both families' default routes as "default". */
  family: Type.Optional(Type.Union([Type.Literal('inet'), Type.Literal('inet6')])),
  table: Type.String(),
  type: Type.String(),
  /** `default`, a prefix `a.b.c.d/n`, or a host address. */
  dst: Type.String(),
  dev: Type.Optional(Type.String()),
  ifindex: Type.Optional(Type.Integer()),
  gateway: Type.Optional(Type.String()),
  prefsrc: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  metric: Type.Optional(Type.Integer()),
  protocol: Type.Optional(Type.String()),
  /**
   * The route's own MTU (`ip route … mtu N`, RTAX_MTU): it stands for the device's MTU in the DF
   * check and fragmentation; absent where the route sets none, or before hoplens collected it.
   */
  mtu: Type.Optional(Type.Integer({ minimum: 0 })),
  /** `mtu lock`: path MTU discovery may not lower it, and a forwarded IPv6 packet is held to it. */
  mtuLock: Type.Optional(Type.Literal(true)),
});
export type Route = Type.Static<typeof RouteSchema>;

/**
 * A proxy neighbour entry (`ip neigh add proxy IP dev DEV`, the kernel's pneigh table): a
 * forwarding namespace answers ARP (NDP) for IP on DEV, or on any device where none is named.
 */
export const ProxyNeighborSchema = Type.Object({
  ip: Type.String(),
  dev: Type.Optional(Type.String()),
});
export type ProxyNeighbor = Type.Static<typeof ProxyNeighborSchema>;

export const NeighborSchema = Type.Object({
  ip: Type.String(),
  dev: Type.String(),
  ifindex: Type.Optional(Type.Integer()),
  mac: Type.Optional(Type.String()),
  state: Type.Array(Type.String()),
});
export type Neighbor = Type.Static<typeof NeighborSchema>;

/**
 * A bridge forwarding entry (`bridge fdb`): on a bridge port, where frames for this MAC go; on a
 * VXLAN device (`self`), which remote VTEP (`dst`) gets them.
 */
export const FdbEntrySchema = Type.Object({
  mac: Type.String(),
  dev: Type.String(),
  ifindex: Type.Optional(Type.Integer()),
  /** The bridge the port belongs to (NTF_MASTER entries). */
  master: Type.Optional(Type.String()),
  vlan: Type.Optional(Type.Integer()),
  /** Remote VTEP of a VXLAN entry. */
  dst: Type.Optional(Type.String()),
  vni: Type.Optional(Type.Integer()),
  /** `self`, `master`, `extern_learn`, … as `bridge fdb` prints them. */
  flags: Type.Array(Type.String()),
  /** permanent, static, or dynamic (learnt). */
  state: Type.String(),
});
export type FdbEntry = Type.Static<typeof FdbEntrySchema>;

/**
 * A tc action. `control` is what it hands back to tc (mirred redirect: `stolen`, mirror: `pipe`;
 * gact: `drop`, `pass`, …); absent in snapshots taken before hoplens collected it.
 */
export const TcActionSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('mirred'),
    action: Type.Union([Type.Literal('redirect'), Type.Literal('mirror')]),
    direction: Type.Union([Type.Literal('egress'), Type.Literal('ingress')]),
    targetDev: Type.String(),
    targetIfindex: Type.Optional(Type.Integer()),
    control: Type.Optional(TcControlSchema),
  }),
  Type.Object({
    kind: Type.Literal('gact'),
    control: TcControlSchema,
    /** The chain a `goto chain N` control goes to. */
    chain: Type.Optional(Type.Integer({ minimum: 0 })),
    /** `random determ|netrand CONTROL VAL`: another control for some packets. */
    random: Type.Optional(Type.Object({ type: Type.String(), control: TcControlSchema, val: Type.Integer() })),
  }),
  Type.Object({ kind: Type.String() }),
]);
export type TcAction = Type.Static<typeof TcActionSchema>;

export const TcFilterSchema = Type.Object({
  ifindex: Type.Integer(),
  dev: Type.String(),
  direction: Type.Union([Type.Literal('ingress'), Type.Literal('egress')]),
  kind: Type.String(),
  pref: Type.Integer(),
  /** The ethertype the filter runs for (ETH_P_ALL = 3 for `protocol all`, 0x0800 for `ip`, …). */
  protocol: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
  /** The filter chain (0 unless reached by a `goto chain`). */
  chain: Type.Optional(Type.Integer({ minimum: 0 })),
  /** True for a classifier that matches every packet (`u32 match u32 0 0`, `matchall`). */
  matchesAll: Type.Boolean(),
  /** What the classifier matches on; absent in snapshots taken before hoplens collected it. */
  classifier: Type.Optional(TcClassifierSchema),
  actions: Type.Array(TcActionSchema),
});
export type TcFilter = Type.Static<typeof TcFilterSchema>;

/**
 * A routing policy rule (`ip rule`): packets matching its selectors are looked up in `table`, or meet
 * its action. Rules are tried by ascending priority; a lookup that finds no route goes on to the next.
 */
/** An inclusive range of ports or uids a policy rule selects (`dport 80` is 80-80). */
export const RuleRangeSchema = Type.Object({
  start: Type.Integer({ minimum: 0 }),
  end: Type.Integer({ minimum: 0 }),
});

export const PolicyRuleSchema = Type.Object({
  family: Type.Union([Type.Literal('inet'), Type.Literal('inet6')]),
  priority: Type.Integer({ minimum: 0 }),
  /** Source prefix `a.b.c.d/n`; absent for "from all". */
  src: Type.Optional(Type.String()),
  /** Destination prefix; absent for "to all". */
  dst: Type.Optional(Type.String()),
  iif: Type.Optional(Type.String()),
  oif: Type.Optional(Type.String()),
  /** A rule with a firewall mark selector only matches marked packets, which the tracer never sends. */
  fwmark: Type.Optional(Type.String()),
  /** `not`: the rule matches when its selectors do not. */
  invert: Type.Boolean(),
  action: Type.Union([
    Type.Literal('lookup'),
    Type.Literal('goto'),
    Type.Literal('nop'),
    Type.Literal('blackhole'),
    Type.Literal('unreachable'),
    Type.Literal('prohibit'),
  ]),
  /** Table name or number for `lookup`. */
  table: Type.Optional(Type.String()),
  /** Priority to jump to for `goto`. */
  goto: Type.Optional(Type.Integer()),
  /** `suppress_prefixlength N`: a lookup result with a prefix this short or shorter is ignored. */
  suppressPrefixlen: Type.Optional(Type.Integer()),
  /** `ipproto P`: only packets of this IP protocol number (1 icmp, 6 tcp, 17 udp, 58 ipv6-icmp). */
  ipproto: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
  /** `sport` / `dport`: only packets from / to a port in the range. */
  sport: Type.Optional(RuleRangeSchema),
  dport: Type.Optional(RuleRangeSchema),
  /** `uidrange`: only packets of a socket owned by a uid in the range. */
  uidRange: Type.Optional(RuleRangeSchema),
  /** `tos T` (fib_rule_hdr.tos): only packets with these TOS bits; absent for 0 (any). */
  tos: Type.Optional(Type.Integer({ minimum: 1, maximum: 255 })),
  /** `l3mdev`: only packets of a device in a VRF, looked up in the VRF's own table. */
  l3mdev: Type.Optional(Type.Literal(true)),
  /** `tun_id N`: only packets that arrived with tunnel metadata of this id (decimal). */
  tunId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,19}$' })),
  /**
   * Selectors the kernel has and hoplens neither reads nor evaluates (`suppress_ifgroup`, newer
   * kernels' `dscp`, `flowlabel`, port masks, … as `attribute N`): a lookup that meets such a rule
   * is unknown, naming them.
   */
  unevaluated: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 16 })),
});
export type PolicyRule = Type.Static<typeof PolicyRuleSchema>;

/** A queueing discipline of a device (`tc qdisc`): ingress and clsact are where filters hang. */
export const QdiscSchema = Type.Object({
  ifindex: Type.Integer(),
  dev: Type.String(),
  kind: Type.String(),
  /** `root`, `ingress`, or the parent handle. */
  parent: Type.String(),
});
export type Qdisc = Type.Static<typeof QdiscSchema>;

/**
 * An nftables base chain of type `nat` (iptables-nft's `nat` table makes them too): NAT may rewrite
 * packets at its hook. Only their presence is collected, until NAT itself is modelled (issue 22).
 */
export const NatChainSchema = Type.Object({
  /** nftables family: ip, ip6, inet. */
  family: Type.String(),
  table: Type.String(),
  chain: Type.String(),
  /** prerouting, input, output or postrouting. */
  hook: Type.String(),
  priority: Type.Integer(),
});
export type NatChain = Type.Static<typeof NatChainSchema>;

/** Raw command output, kept so rules can be re-run on old snapshots. */
export const RawOutputSchema = Type.Object({ command: Type.Array(Type.String()), output: Type.String() });
export type RawOutput = Type.Static<typeof RawOutputSchema>;

export const NetnsInventorySchema = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  root: Type.Boolean(),
  /** For a namespace only a process holds (no name under /run/netns): the file it was entered by. */
  path: Type.Optional(Type.String()),
  /** Who holds it: the process (`comm`, pid) or container, where known. */
  holder: Type.Optional(Type.String()),
  links: Type.Array(LinkSchema),
  addresses: Type.Array(AddressSchema),
  routes: Type.Array(RouteSchema),
  neighbors: Type.Array(NeighborSchema),
  /** Proxy neighbour entries; absent in snapshots taken before hoplens collected them. */
  proxyNeighbors: Type.Optional(Type.Array(ProxyNeighborSchema)),
  tcFilters: Type.Array(TcFilterSchema),
  /** Absent in snapshots taken before hoplens collected them. */
  qdiscs: Type.Optional(Type.Array(QdiscSchema)),
  /** Bridge and VXLAN forwarding entries; absent in snapshots taken before hoplens collected them. */
  fdb: Type.Optional(Type.Array(FdbEntrySchema)),
  /** Routing policy rules of both families; absent in snapshots taken before hoplens collected them. */
  rules: Type.Optional(Type.Array(PolicyRuleSchema)),
  /** net.ipv4.ip_forward: whether this namespace routes packets that are not its own. */
  ipForward: Type.Optional(Type.Boolean()),
  /** The sysctls a packet's fate depends on (rp_filter, br_netfilter, conntrack, …). */
  sysctls: Type.Optional(SysctlsSchema),
  /**
   * Packet filters (nftables, iptables of both backends, ipsets); absent in snapshots taken before
   * hoplens collected them.
   */
  firewall: Type.Optional(FirewallSchema),
  /** nftables NAT base chains; absent where they could not be listed (or before hoplens collected them). */
  natChains: Type.Optional(Type.Array(NatChainSchema)),
  /**
   * Unreplied UDP conntrack entries by destination port; `[]` where the table was read and holds
   * none, absent where it could not be read (no nf_conntrack, no /proc/net/nf_conntrack).
   */
  conntrackUnreplied: Type.Optional(UnrepliedUdpSchema),
  /**
   * Sockets that take new TCP connections or UDP datagrams; absent where they were not collected
   * (then whether anything listens on a port is not known).
   */
  listening: Type.Optional(ListeningSocketsSchema),
  raw: Type.Array(RawOutputSchema),
});
export type NetnsInventory = Type.Static<typeof NetnsInventorySchema>;

export const HostKindSchema = Type.Union([Type.Literal('node'), Type.Literal('pod-vm'), Type.Literal('other')]);
export type HostKind = Type.Static<typeof HostKindSchema>;

export const CollectErrorSchema = Type.Object({
  netns: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  command: Type.Optional(Type.Array(Type.String())),
  message: Type.String(),
  /**
   * Said of a host that was read whole, nothing of it missing: a rename between sources, hosts an
   * agent reported and was not allowed to. Not a failure (see the collection-incomplete rule).
   */
  notice: Type.Optional(Type.Literal(true)),
});
export type CollectError = Type.Static<typeof CollectErrorSchema>;

/**
 * What cloud-api-adaptor meant a peer pod's network to be, as its agent-protocol-forwarder on the
 * pod VM reads it (`pod-network` of /run/peerpod/apf.json): rules compare it with what the pod VM has.
 */
export const PeerPodIntentSchema = Type.Object({
  /** The file it was read from. */
  source: Type.String(),
  podNamespace: Type.Optional(Type.String()),
  podName: Type.Optional(Type.String()),
  /** The pod's interface in the pod VM's pod namespace (vxlan0 by default). */
  interface: Type.Optional(Type.String()),
  /** `address/prefixlen`. */
  podIp: Type.Optional(Type.String()),
  /** The MAC the interface must have: the pod eth0's on the worker. */
  podMac: Type.Optional(Type.String()),
  /** `address/prefixlen` of the worker, the tunnel's remote. */
  workerNodeIp: Type.Optional(Type.String()),
  tunnelType: Type.Optional(Type.String()),
  vxlanPort: Type.Optional(Type.Integer()),
  vxlanId: Type.Optional(Type.Integer()),
  mtu: Type.Optional(Type.Integer()),
  routes: Type.Array(
    Type.Object({
      dst: Type.String(),
      gateway: Type.Optional(Type.String()),
      dev: Type.Optional(Type.String()),
    }),
  ),
});
export type PeerPodIntent = Type.Static<typeof PeerPodIntentSchema>;

/** What a collector returns for one host. A failed command is an error on the host, never dropped data. */
export const HostInventorySchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  kind: HostKindSchema,
  collectedAt: Type.String(),
  namespaces: Type.Array(NetnsInventorySchema),
  errors: Type.Array(CollectErrorSchema),
  /** A pod VM's intended pod network, where cloud-api-adaptor left it. */
  peerPod: Type.Optional(PeerPodIntentSchema),
  /** The host's Open vSwitch, where one runs; absent where none was found. */
  ovs: Type.Optional(OvsInventorySchema),
});
export type HostInventory = Type.Static<typeof HostInventorySchema>;
