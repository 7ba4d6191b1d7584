/**
 * Every way the kernel can drop a packet on this machine (the `skb:kfree_skb` tracepoint's drop
 * reasons, recorded in kernelDropReasons.json by scripts/record-drop-reasons.sh), and how hoplens
 * covers it: the tracer stage that predicts it, the lab variants whose flows die of it (their
 * `expectDrop`), the rules that report it — or why it is unknown, someone else's work, a gap, or out
 * of scope. The README's table is rendered from this (`hoplens lab coverage`); a test keeps them equal.
 */

/** Predicted by a tracer stage; proven against the kernel by the lab variants named (scenario/variant). */
export interface Checked {
  readonly status: 'checked';
  /** The stage module under packages/model/src/trace/stages/ that predicts it. */
  readonly stage: string;
  readonly check: string;
  readonly variants: readonly string[];
  /** Why no lab variant proves it on this kernel, where none does. */
  readonly unproven?: string;
  readonly rules?: readonly string[];
}

/** Reported as `unknown`, naming what cannot be evaluated. */
export interface Unknown {
  readonly status: 'unknown';
  readonly where: string;
}

/** Another issue's work, in progress. */
export interface Elsewhere {
  readonly status: 'issue';
  readonly issue: number;
  readonly check: string;
}

/** Neither modelled nor detected: a path it drops traces as delivered. Listed so it is known. */
export interface Gap {
  readonly status: 'gap';
  readonly why: string;
}

export interface OutOfScope {
  readonly status: 'out-of-scope';
  readonly why: string;
}

export type Coverage = Checked | Unknown | Elsewhere | Gap | OutOfScope;

const SOCKET = 'at the receiving socket, after the path: hoplens traces a packet to its namespace';
const MALFORMED = 'malformed or corrupted packets: hoplens reasons about configuration, and pings are well-formed';
const TCP = "TCP's state at the endpoints; the tracer's flows are pings (ICMP)";
const LOAD = 'load and memory, not configuration: a snapshot cannot predict them';
const OTHER_HW = 'hardware and protocols no pod path uses';
const TC = 'tc classifiers and their actions';
const ND = 'IPv6 neighbour discovery';

const checked = (
  stage: string,
  check: string,
  variants: readonly string[],
  extra: { rules?: readonly string[]; unproven?: string } = {},
): Checked => ({ status: 'checked', stage, check, variants, ...extra });
const out = (why: string): OutOfScope => ({ status: 'out-of-scope', why });
const gap = (why: string): Gap => ({ status: 'gap', why });

/** Drop reasons, by the kernel's name. */
export const DROP_COVERAGE: Readonly<Record<string, Coverage>> = {
  NOT_SPECIFIED: checked(
    'veth.ts, route.ts, macvlan.ts, egressMtu.ts',
    "a veth peer's MTU (`__dev_forward_skb`), a forwarded packet meeting a blackhole/unreachable/prohibit route or rule (`ip_error`), a macvlan that is down, an IPv6 neighbour that never answers (`ndisc_error_report` frees the queued packet without a reason, where ARP says NEIGH_FAILED), a forwarded IPv6 packet over its route's unlocked MTU (`ip6_fragment`)",
    [
      'bridged-nodes/mtu',
      'bridged-nodes/policy-blackhole',
      'peer-pod-filters/dual-stack-broken',
      'peer-pod-filters/jumbo-mtu',
      'route-mtu/forward',
      'bridged-nodes/policy-ipproto',
      'policy-routing/mark-blackhole',
    ],
    { rules: ['mtu-mismatch', 'route-missing'] },
  ),
  NO_SOCKET: checked(
    'vxlan.ts, listener.ts, ipLocal.ts',
    "a VXLAN packet to a UDP port no VXLAN device listens on; a TCP SYN or UDP datagram to a port no listening socket of its namespace takes (`tcp_v4_rcv` answers RST, `__udp4_lib_rcv` ICMP port unreachable), where the namespace's sockets were collected; a reply that ends in another namespace than its request's sender (one holding the same address: a peer pod's eth0 without its redirect)",
    ['seed/port-mismatch', 'service-listener/endpoint-not-listening', 'seed/no-redirect-out'],
    { rules: ['vxlan-port-mismatch', 'service-endpoint-no-listener'] },
  ),
  SOCKET_CLOSE: out(SOCKET),
  SOCKET_FILTER: out(SOCKET),
  SOCKET_RCVBUFF: out(SOCKET),
  UNIX_DISCONNECT: out(SOCKET),
  UNIX_SKIP_OOB: out(SOCKET),
  PKT_TOO_SMALL: out(MALFORMED),
  TCP_CSUM: out(MALFORMED),
  UDP_CSUM: out(MALFORMED),
  NETFILTER_DROP: checked(
    'netfilter.ts, brNetfilter.ts, conntrack.ts',
    'a DROP verdict or chain policy of nftables or iptables (nft and legacy backends) in the hook the packet passes — prerouting, input, forward (bridged frames too, through br_netfilter), output, postrouting — rule by rule with conntrack state (a reply whose request took another path is INVALID there: an echo reply, a SYN-ACK); a full conntrack table is reported as unknown (the kernel evicts an unassured entry first, and entry states are not collected; rules conntrack-near-full and tunnel-conntrack-unreplied), unit-tested only: proving a full table means lowering the shared machine’s global nf_conntrack_max',
    [
      'peer-pod-filters/iptables-drop',
      'peer-pod-filters/nft-tunnel-drop',
      'peer-pod-filters/legacy-tunnel-drop',
      'node-filters/br-forward-drop',
      'node-filters/nft-output-drop',
      'node-filters/reply-drop',
      'peer-pod-filters/nft-chain-in-iptables',
      // kube-proxy's reject of a Service without endpoints, and a NetworkPolicy-style FORWARD drop.
      'kube-service/ok',
      'kube-service/endpoint-dropped',
      'kube-service/no-dnat',
      'kube-service/no-masquerade',
      'kube-service/ok-nft',
      'kube-service/endpoint-dropped-nft',
      'kube-service/no-dnat-nft',
      'kube-service/no-masquerade-nft',
      'kube-service/etp-local',
      'kube-service/itp-local-lb',
      'kube-service/etp-local-nft',
      'kube-service/itp-local-lb-nft',
      // kube-proxy's ctstate INVALID drop meeting replies (an echo reply, a SYN-ACK) whose request took another router.
      'asymmetric-return/invalid-drop',
      'service-listener/endpoint-not-listening',
      // A FORWARD drop meeting what fits the MTU, where ip_forward refuses the rest first.
      'route-mtu/forward-drop',
      // A mark set in mangle OUTPUT re-routes the packet into an unreachable route: the hook drops it.
      'policy-routing/output-mark',
    ],
    { rules: ['filter-drop', 'peerpod-notrack-missing', 'filter-unevaluated'] },
  ),
  OTHERHOST: checked(
    'receive.ts',
    "the destination MAC is not the receiving device's (nor broadcast or multicast; a promiscuous device drops it too)",
    [
      'seed/broken',
      'seed/no-redirect',
      // A NOARP device sends to its own MAC (arp_constructor).
      'arp/noarp-pod',
      'bridged-nodes/stale-arp',
      'peer-pod-filters/dual-stack-broken',
      'ovn-seed/broken',
      'bridge-ports/stale-fdb-sticky',
      'bridge-ports/stale-fdb-no-arp',
    ],
    { rules: ['mac-mismatch-across-tunnel', 'neighbor-mac-mismatch', 'tc-redirect-missing', 'bridge-fdb-stale'] },
  ),
  IP_CSUM: out(MALFORMED),
  IP_INHDR: out(MALFORMED),
  IP_RPFILTER: checked(
    'validateSource.ts',
    'reverse-path filter: max(conf.all, conf.<dev>) rp_filter; 1 strict (the route back must leave by the input device), other non-zero values loose (a route back must exist); a device without an IPv4 address fails both',
    ['reverse-path/rp-strict'],
    { rules: ['rp-filter-drop'] },
  ),
  UNICAST_IN_L2_MULTICAST: out(
    'drop_unicast_in_l2_multicast is off by default; the tracer sends unicast IP to unicast MACs',
  ),
  XFRM_POLICY: gap('IPsec policies (ip xfrm) are not collected'),
  IP_NOPROTO: out('no handler for the IP protocol: ICMP always has one'),
  PROTO_MEM: out(LOAD),
  TCP_AUTH_HDR: out(TCP),
  TCP_MD5NOTFOUND: out(TCP),
  TCP_MD5UNEXPECTED: out(TCP),
  TCP_MD5FAILURE: out(TCP),
  TCP_AONOTFOUND: out(TCP),
  TCP_AOUNEXPECTED: out(TCP),
  TCP_AOKEYNOTFOUND: out(TCP),
  TCP_AOFAILURE: out(TCP),
  SOCKET_BACKLOG: out(SOCKET),
  TCP_FLAGS: out(TCP),
  TCP_ABORT_ON_DATA: out(TCP),
  TCP_ZEROWINDOW: out(TCP),
  TCP_OLD_DATA: out(TCP),
  TCP_OVERWINDOW: out(TCP),
  TCP_OFOMERGE: out(TCP),
  TCP_RFC7323_PAWS: out(TCP),
  TCP_RFC7323_PAWS_ACK: out(TCP),
  TCP_RFC7323_TW_PAWS: out(TCP),
  TCP_RFC7323_TSECR: out(TCP),
  TCP_LISTEN_OVERFLOW: out(TCP),
  TCP_OLD_SEQUENCE: out(TCP),
  TCP_INVALID_SEQUENCE: out(TCP),
  TCP_INVALID_END_SEQUENCE: out(TCP),
  TCP_INVALID_ACK_SEQUENCE: out(TCP),
  TCP_RESET: out(TCP),
  TCP_INVALID_SYN: out(TCP),
  TCP_CLOSE: out(TCP),
  TCP_FASTOPEN: out(TCP),
  TCP_OLD_ACK: out(TCP),
  TCP_TOO_OLD_ACK: out(TCP),
  TCP_ACK_UNSENT_DATA: out(TCP),
  TCP_OFO_QUEUE_PRUNE: out(TCP),
  TCP_OFO_DROP: out(TCP),
  IP_OUTNOROUTES: checked(
    'route.ts',
    "a VXLAN device's outer packet with no route to its remote (`vxlan_xmit_one`); a ping's own send gets ENETUNREACH instead",
    [],
    {
      rules: ['underlay-unreachable'],
      unproven: 'no variant stops there first: a lost underlay fails its ARP first (seed/underlay-down: NEIGH_FAILED)',
    },
  ),
  BPF_CGROUP_EGRESS: gap('cgroup eBPF programs are not collected'),
  IPV6DISABLED: checked('ipv6Receive.ts', 'IPv6 arriving at a device with disable_ipv6=1', ['ipv6/ipv6-disabled'], {
    rules: ['ipv6-disabled-on-path'],
  }),
  NEIGH_CREATEFAIL: out(`${LOAD} (a neighbour table past gc_thresh3)`),
  NEIGH_FAILED: checked(
    'neighbor.ts, arp.ts',
    'no neighbour entry and ARP unanswered: nobody holds the address, or the holder refuses — arp_ignore, arp_filter (with the sender arp_announce picks), no proxy_arp, the source check of the request, a macvlan parent and its children, a bridge port without hairpin or not forwarding, isolated from the asking port or with bcast_flood off; or the answer taken elsewhere on its way back (a tc redirect of ARP on the asking side), or lost in a tunnel whose outer packets a filter drops (by the source port the tunnel picks)',
    [
      'bridged-nodes/gateway-failed',
      'ovn-seed/iface-id-unknown',
      'bridged-nodes/veth-detached',
      'bridged-nodes/link-down',
      'seed/remote-unknown',
      'seed/underlay-down',
      'seed/arp-only-redirect',
      'arp/no-proxy-arp',
      'arp/arp-ignore',
      'arp/arp-ignore-2',
      'arp/arp-filter',
      // A NOARP device answers no request (arp_rcv).
      'arp/noarp-gateway',
      'reverse-path/local-source-arp',
      'macvlan/parent-gateway',
      'macvlan/private',
      'macvlan/vepa-no-hairpin',
      // The request's flood skips a port isolated from the ingress one, or with bcast_flood off.
      'bridge-ports/isolated',
      'bridge-ports/bcast-flood-off',
      'cni-plugins/macvlan',
      // The request (or its answer) flooded into a tunnel whose outer packet a filter drops.
      'bridged-tunnel/srcport-drop',
      'bridged-tunnel/ephemeral-drop',
    ],
    { rules: ['neighbor-failed', 'arp-unanswered', 'macvlan-parent-isolation', 'vepa-hairpin-off'] },
  ),
  NEIGH_QUEUEFULL: out(`${LOAD} (more packets waiting for ARP than unres_qlen)`),
  NEIGH_DEAD: out('a neighbour entry deleted while a packet waited: a race, not a state'),
  NEIGH_HH_FILLFAIL: out(LOAD),
  TC_EGRESS: checked(
    'tc.ts',
    `${TC}: a matching filter whose action drops (gact drop), or a redirect mirred cannot make (its target down or gone), on egress`,
    ['node-filters/u32-drop', 'node-filters/u32-hash-drop', 'node-filters/cbpf-drop'],
    { rules: ['filter-drop'] },
  ),
  SECURITY_HOOK: gap('LSM network hooks (SELinux, AppArmor, Smack labels) are not collected'),
  QDISC_DROP: out(
    `${LOAD}; a device without carrier also drops here what it is given (its ARP requests), and the tracer reports the packet's own fate, NEIGH_FAILED`,
  ),
  QDISC_OVERLIMIT: out(LOAD),
  QDISC_CONGESTED: out(LOAD),
  CAKE_FLOOD: out(LOAD),
  FQ_BAND_LIMIT: out(LOAD),
  FQ_HORIZON_LIMIT: out(LOAD),
  FQ_FLOW_LIMIT: out(LOAD),
  CPU_BACKLOG: out(LOAD),
  XDP: gap('XDP programs attached to devices are not collected'),
  TC_INGRESS: checked(
    'tc.ts',
    `${TC}: a matching filter whose action drops (gact drop), or a redirect mirred cannot make, on ingress`,
    [],
    { unproven: 'the lab’s filters that drop sit on egress (a redirect into a down device: this kernel lacks gact)' },
  ),
  UNHANDLED_PROTO: checked(
    'bond.ts',
    'a frame arriving at an inactive bond slave (active-backup): only exact-match handlers get it',
    [],
    { unproven: 'the bonding module is missing on this kernel: modelled from drivers/net/bonding, unit-tested' },
  ),
  SKB_CSUM: out(MALFORMED),
  SKB_GSO_SEG: out(LOAD),
  SKB_UCOPY_FAULT: out(LOAD),
  DEV_HDR: out(MALFORMED),
  DEV_READY: checked('transmit.ts', 'a device that is administratively down takes nothing to send', [], {
    unproven: 'a device that goes down loses its routes first: the lab meets no route or NEIGH_FAILED before it',
    rules: ['link-down'],
  }),
  FULL_RING: out(LOAD),
  NOMEM: out(LOAD),
  HDR_TRUNC: out(MALFORMED),
  TAP_FILTER: out("a tap device's own socket filter (a VM's), behind the pod path"),
  TAP_TXFILTER: out("a tap device's own socket filter (a VM's), behind the pod path"),
  ICMP_CSUM: out(MALFORMED),
  INVALID_PROTO: out(MALFORMED),
  IP_INADDRERRORS: checked(
    'ipForward.ts',
    'a packet for another address where the input device does not forward (IPv4: the device’s forwarding, as ip_forward sets it; IPv6: conf.all.forwarding or the device’s force_forwarding); an IPv6 address still tentative (DAD) or dadfailed is not local yet; an IPv6 packet from a link-local source routed off its link (ICMPv6 beyond scope)',
    ['bridged-nodes/no-forward', 'ipv6/no-forward', 'ipv6/tentative', 'ipv6/link-local-source'],
    { rules: ['forwarding-disabled'] },
  ),
  IP_INNOROUTES: checked(
    'route.ts',
    'a forwarded packet with no route (IPv4 ENETUNREACH in ip_error; IPv6 ip6_pkt_drop, also for unreachable and prohibit routes)',
    [
      'reverse-path/node-no-route',
      'kube-service/no-dnat',
      'kube-service/node-unreachable',
      'kube-service/no-dnat-nft',
      'kube-service/node-unreachable-nft',
      // A reply to the source a route's `src` chose, which the router has no route back to.
      'policy-routing/route-src',
    ],
    { rules: ['route-missing'] },
  ),
  IP_LOCAL_SOURCE: checked(
    'validateSource.ts',
    "a source that is one of the receiving namespace's own addresses, without accept_local",
    ['reverse-path/local-source', 'kube-service/no-masquerade', 'kube-service/no-masquerade-nft'],
    { rules: ['source-is-local', 'kube-proxy-masquerade-missing'] },
  ),
  IP_INVALID_SOURCE: checked('martian.ts', 'a multicast, limited-broadcast or 0.0.0.0/8 source', [], {
    unproven: 'a ping cannot send from such a source',
  }),
  IP_LOCALNET: checked('martian.ts', 'a 127.0.0.0/8 source or destination from a device without route_localnet', [], {
    unproven: 'a ping puts no loopback address on the wire without NAT (kube-proxy’s NodePort on 127.0.0.1)',
  }),
  IP_INVALID_DEST: checked('martian.ts', 'a 0.0.0.0/8 destination', [], { unproven: 'a ping cannot send to it' }),
  PKT_TOO_BIG: checked(
    'egressMtu.ts',
    'a forwarded packet with DF (any IPv6 one) larger than the egress MTU or its route’s (`ip_forward`, `ip6_forward`, before the FORWARD hook: a FORWARD drop meets only what fits); a local one is refused at send (EMSGSIZE)',
    ['route-mtu/forward', 'route-mtu/forward-lock', 'route-mtu/forward-drop'],
    { rules: ['mtu-mismatch'] },
  ),
  DUP_FRAG: out(MALFORMED),
  FRAG_REASM_TIMEOUT: out(LOAD),
  FRAG_TOO_FAR: out(MALFORMED),
  TCP_MINTTL: out(TCP),
  IPV6_BAD_EXTHDR: out(MALFORMED),
  IPV6_NDISC_FRAG: out(`${ND}: a malformed message; the kernel's own solicitations and advertisements are well-formed`),
  IPV6_NDISC_HOP_LIMIT: out(
    `${ND}: a malformed message; the kernel's own solicitations and advertisements are well-formed`,
  ),
  IPV6_NDISC_BAD_CODE: out(
    `${ND}: a malformed message; the kernel's own solicitations and advertisements are well-formed`,
  ),
  IPV6_NDISC_BAD_OPTIONS: out(
    `${ND}: a malformed message; the kernel's own solicitations and advertisements are well-formed`,
  ),
  IPV6_NDISC_NS_OTHERHOST: checked(
    'ndReceive.ts',
    `${ND}: a solicitation for an address the receiver does not hold goes unanswered`,
    [],
    {
      unproven: 'no lab variant solicits an address nobody holds on the link: the pod paths’ gateways exist',
    },
  ),
  QUEUE_PURGE: out(SOCKET),
  TC_COOKIE_ERROR: gap(
    `${TC}: a goto chain that leads nowhere, or an action hoplens does not follow, is answered unknown naming the filter, never traced as this drop`,
  ),
  PACKET_SOCK_ERROR: out(SOCKET),
  TC_CHAIN_NOTFOUND: gap(
    `${TC}: a goto chain that leads nowhere, or an action hoplens does not follow, is answered unknown naming the filter, never traced as this drop`,
  ),
  TC_RECLASSIFY_LOOP: gap(
    `${TC}: a goto chain that leads nowhere, or an action hoplens does not follow, is answered unknown naming the filter, never traced as this drop`,
  ),
  VXLAN_INVALID_HDR: out(MALFORMED),
  VXLAN_VNI_NOT_FOUND: checked('vxlan.ts', 'no VXLAN device on that UDP port has the VNI', ['seed/vni-mismatch'], {
    rules: ['vni-mismatch'],
  }),
  MAC_INVALID_SOURCE: out(MALFORMED),
  VXLAN_ENTRY_EXISTS: gap('a learnt source MAC that collides with a static or locked VXLAN fdb entry is not checked'),
  NO_TX_TARGET: checked(
    'bridge.ts',
    'a bridge with no port to send to: the one behind the destination is the ingress port without hairpin, not forwarding, or isolated as the ingress port is; an unlearnt MAC whose flood no port takes (flood off)',
    [],
    {
      rules: ['vepa-hairpin-off'],
      unproven: 'the lab’s such frames are ARP broadcasts, flooded elsewhere: the ping ends NEIGH_FAILED',
    },
  ),
  IP_TUNNEL_ECN: out(MALFORMED),
  TUNNEL_TXINFO: {
    status: 'unknown',
    where: 'vxlan.ts: a VXLAN device without remote or forwarding entry (collect_md, steered by eBPF) is unknown',
  },
  LOCAL_MAC: checked('vxlan.ts', "a decapsulated frame whose source MAC is the VXLAN device's own (a loop)", [], {
    unproven: 'no lab path loops',
  }),
  ARP_PVLAN_DISABLE: out('private-VLAN proxy ARP (proxy_arp_pvlan) is off by default and not on pod paths'),
  MAC_IEEE_MAC_CONTROL: out(OTHER_HW),
  BRIDGE_INGRESS_STP_STATE: checked(
    'bridge.ts',
    'a frame arriving at a bridge port whose STP state is not forwarding',
    [],
    {
      unproven: 'a port that is not forwarding stops ARP first: the ping ends NEIGH_FAILED',
    },
  ),
  CAN_RX_INVALID_FRAME: out(OTHER_HW),
  CANFD_RX_INVALID_FRAME: out(OTHER_HW),
  CANXL_RX_INVALID_FRAME: out(OTHER_HW),
  PFMEMALLOC: out(LOAD),
  DUALPI2_STEP_DROP: out(LOAD),
  PSP_INPUT: gap('PSP encryption policies are not collected'),
  PSP_OUTPUT: gap('PSP encryption policies are not collected'),
  RECURSION_LIMIT: out('a device stack recursing past its limit: a loop the tracer stops as unknown after 64 steps'),
};

/** Where no packet is made: the errno ping's send gets, as the probe reports it. */
export const SEND_ERRORS: Readonly<Record<string, Checked>> = {
  ENETUNREACH: checked('route.ts', 'no route for a packet the namespace sends itself', [
    'bridged-nodes/no-route',
    'bridged-nodes/policy-ok',
  ]),
  EMSGSIZE: checked('egressMtu.ts', 'its own packet with DF larger than the egress MTU or its route’s', [
    'bridged-nodes/mtu',
    'route-mtu/local',
  ]),
  EINVAL: checked('route.ts', 'its own packet meets a blackhole route or rule', [], { unproven: 'no variant' }),
  EHOSTUNREACH: checked('route.ts', 'its own packet meets an unreachable route or rule', [], {
    unproven: 'no variant',
  }),
  EACCES: checked('route.ts', 'its own packet meets a prohibit route or rule', [], { unproven: 'no variant' }),
};

/**
 * How the kernel loses a packet without a drop reason of its own, and what the tracer says.
 * `proven`: against this kernel in the lab; otherwise modelled from the kernel source and unit-tested.
 */
export const WITHOUT_A_REASON: readonly {
  readonly what: string;
  readonly stage: string;
  readonly variants: readonly string[];
}[] = [
  {
    what: 'icmp_echo_ignore_all: the echo request is taken (consumed) and never answered',
    stage: 'icmpEcho.ts',
    variants: ['reverse-path/echo-ignored'],
  },
  {
    what: 'macvlan modes: bridge siblings switch directly, private/vepa/passthru leave by the lower device; a lower device never meets its children',
    stage: 'macvlan.ts',
    variants: ['macvlan/bridge', 'macvlan/private', 'macvlan/vepa', 'macvlan/passthru', 'macvlan/parent-gateway'],
  },
  {
    what: "ipvlan l2/l3/l3s and bridge/private/vepa: slaves share the master MAC; l3 routes in the master namespace; l3s takes a packet up the master's stack (its PREROUTING and INPUT) to the slave its destination names after PREROUTING; private slaves cannot reach each other",
    stage: 'ipvlan.ts',
    variants: [],
  },
  {
    what: 'vlan sub-interfaces: tagged by their VLAN id; frames of another VLAN do not reach them',
    stage: 'vlan.ts',
    variants: [],
  },
  {
    what: 'bonds: sent by the active slave (active-backup); an inactive slave passes nothing up',
    stage: 'bond.ts',
    variants: [],
  },
  {
    what: 'NAT (DNAT, SNAT, MASQUERADE, REDIRECT in nftables and iptables-nft): rewritten as the rules say, replies un-NATed by conntrack; a snapshot without firewall rules is unknown at a NAT chain',
    stage: 'natApply.ts',
    variants: [
      'cni-plugins/bridge-masq',
      'cni-plugins/ptp',
      'kube-service/ok',
      'kube-service/ok-nft',
      'kube-service/no-masquerade',
    ],
  },
];
