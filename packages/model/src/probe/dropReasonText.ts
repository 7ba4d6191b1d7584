/**
 * What a drop reason means, in a few words, for the reasons a network path meets. The names are
 * the kernel's (`enum skb_drop_reason`, stable across versions; their numbers are not, and are
 * decoded from the tracepoint's format on the machine). Errno names are the kernel refusing ping's
 * send before any packet existed.
 */
const MEANING: Readonly<Record<string, string>> = {
  OTHERHOST: "the frame's destination MAC is not this interface's",
  NO_SOCKET: 'nothing listens on that port here (for a tunnel: no VXLAN device on that UDP port)',
  VXLAN_VNI_NOT_FOUND: 'no VXLAN device here has that VNI',
  VXLAN_INVALID_HDR: 'the VXLAN header is not valid',
  NEIGH_FAILED: 'the next hop never answered ARP/neighbour discovery',
  NEIGH_QUEUEFULL: 'too many packets waited for an unanswered ARP/neighbour resolution',
  NEIGH_DEAD: 'the neighbour entry was deleted while the packet waited',
  NETFILTER_DROP: 'a firewall rule (nftables/iptables) dropped it',
  IP_RPFILTER: 'reverse-path filtering: the source is not reachable back through this interface',
  IP_INNOROUTES: 'no route for it here (or forwarding is off)',
  IP_OUTNOROUTES: 'no route out for it',
  IP_INADDRERRORS: 'its destination address is not valid here',
  IP_INVALID_SOURCE: 'its source address is not acceptable here',
  PKT_TOO_BIG: 'it is larger than the MTU and may not be fragmented',
  TC_INGRESS: 'a tc ingress filter dropped it',
  TC_EGRESS: 'a tc egress filter dropped it',
  QDISC_DROP: 'the queueing discipline dropped it',
  DEV_READY: 'the device is not up',
  NOT_SPECIFIED: 'the kernel gives no reason here',
  ENETUNREACH: 'the kernel refused to send it: network is unreachable (no route)',
  EHOSTUNREACH: 'the kernel refused to send it: host is unreachable',
  EMSGSIZE: 'the kernel refused to send it: larger than the MTU with Don\u2019t Fragment set',
};

/** The meaning of a drop reason, or nothing for one not listed. */
export function dropReasonText(reason: string): string | undefined {
  return MEANING[reason];
}
