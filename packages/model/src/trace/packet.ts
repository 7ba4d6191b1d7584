import { parseIp } from '../net/ip.ts';
import type { PortRange } from '../net/portRange.ts';

/**
 * What the tracer carries through the kernel's stages: an Ethernet frame holding an ARP request or
 * an IP packet, whose transport is a union by protocol. A VXLAN packet is UDP carrying a frame.
 */

/** ICMP echo, as `ping` sends it (types are the family's: 8/0 for IPv4, 128/129 for IPv6). */
export interface IcmpEcho {
  readonly proto: 'icmp';
  readonly type: 'echo-request' | 'echo-reply';
}

/** UDP; a packet to a VXLAN socket carries the encapsulated frame. */
export interface Udp {
  readonly proto: 'udp';
  /** Undefined where the kernel picks it by a hash (a VXLAN device's source port): not known here. */
  readonly sport: number | undefined;
  /** Undefined in a reply to a port the kernel picked. */
  readonly dport: number | undefined;
  /** Where a port is undefined: the ports the kernel picks it from, where known (see PortRange). */
  readonly sportRange?: PortRange;
  readonly dportRange?: PortRange;
  readonly vxlan?: { readonly vni: number; readonly inner: Frame };
}

/** TCP: the segment's ports and the flags that matter to a firewall (a SYN opens a connection). */
export interface Tcp {
  readonly proto: 'tcp';
  /** Undefined where the kernel picks it (a connect()'s ephemeral port): not known here. */
  readonly sport: number | undefined;
  /** Undefined in a reply to a port the kernel picked. */
  readonly dport: number | undefined;
  /** Where a port is undefined: the ports the kernel picks it from, where known (see PortRange). */
  readonly sportRange?: PortRange;
  readonly dportRange?: PortRange;
  readonly flags: readonly ('syn' | 'ack' | 'fin' | 'rst')[];
}

/**
 * IPv6 neighbour discovery (ICMPv6 135/136): a solicitation for `target` sent to its
 * solicited-node multicast group, or the advertisement its owner answers with. `lladdr` is the
 * sender's link-layer address option.
 */
export interface NeighborDiscovery {
  readonly proto: 'nd';
  readonly type: 'solicit' | 'advert';
  readonly target: string;
  readonly lladdr: string | null;
}

export type Transport = IcmpEcho | Udp | Tcp | NeighborDiscovery;

/**
 * Conntrack's view of a packet: a ping request is `new`, its reply `established`; `untracked` after
 * a raw-table NOTRACK.
 */
export type CtState = 'new' | 'established' | 'related' | 'untracked' | 'invalid';

/** An IPv4 or IPv6 packet. */
export interface IpPacket {
  readonly kind: 'ip';
  /** Undefined for a locally generated packet whose source the route lookup has not chosen yet. */
  readonly src: string | undefined;
  readonly dst: string;
  readonly l4: Transport;
  /** Total IP length in bytes. */
  readonly size: number;
  /** Don't Fragment: a packet larger than a device's MTU is dropped instead of fragmented. */
  readonly df: boolean;
  readonly ct: CtState;
  /** The skb's firewall mark (0 unless a rule sets one). */
  readonly mark: number;
}

/**
 * An ARP request for `dst` (`who-has dst tell src`), or with `op: 'reply'` its answer (`src is at
 * sha`, sent to the requester `dst` at `tha`).
 */
export interface ArpRequest {
  readonly kind: 'arp';
  readonly op?: 'reply';
  readonly src: string | undefined;
  readonly dst: string;
  /** The sender hardware address in the payload (what the target learns), where the tracer knows it. */
  readonly sha?: string;
  /** A reply's target hardware address: the requester's. */
  readonly tha?: string;
}

export type Packet = IpPacket | ArpRequest;

export interface Frame {
  readonly srcMac: string | null;
  readonly dstMac: string;
  readonly packet: Packet;
  /** The 802.1Q VLAN id a vlan device tagged it with, until the receiving side takes the tag off. */
  readonly vlan?: number;
  /**
   * A bridge switched it from one of its ports (the skb's pkt_type is not PACKET_HOST) until a
   * device receives it again: a tunnel port answers such a frame with ICMP where it does not fit.
   */
  readonly switched?: boolean;
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
/** A default `ping`: 56 bytes of payload, ICMP header 8 and IPv4 header 20. */
export const DEFAULT_PACKET_SIZE = 84;
/** An ARP packet over Ethernet. */
const ARP_SIZE = 28;
/** Bytes VXLAN adds to the inner frame: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
export const VXLAN_OVERHEAD = 50;
/** The slack `is_skb_forwardable` allows over the MTU for a VLAN tag. */
export const VLAN_HLEN = 4;

export const sizeOf = (pkt: Packet): number => (pkt.kind === 'arp' ? ARP_SIZE : pkt.size);

/** A neighbour solicitation as `ndisc_send_ns` sends it: to the target's solicited-node group, hop limit 255. */
export function neighborSolicitation(opts: {
  readonly src: string | undefined;
  readonly target: string;
  readonly lladdr: string | null;
}): IpPacket {
  return {
    kind: 'ip',
    src: opts.src,
    dst: solicitedNode(opts.target),
    l4: { proto: 'nd', type: 'solicit', target: opts.target, lladdr: opts.lladdr },
    // IPv6 header 40 + ICMPv6 NS 24 + source link-layer option 8.
    size: 72,
    df: true,
    ct: 'untracked',
    mark: 0,
  };
}

/** The advertisement the owner of `target` answers a solicitation with. */
export function neighborAdvertisement(opts: {
  readonly src: string;
  readonly dst: string;
  readonly lladdr: string | null;
}): IpPacket {
  return {
    kind: 'ip',
    src: opts.src,
    dst: opts.dst,
    l4: { proto: 'nd', type: 'advert', target: opts.src, lladdr: opts.lladdr },
    size: 72,
    df: true,
    ct: 'untracked',
    mark: 0,
  };
}

/** ff02::1:ffXX:XXXX, the group a solicitation for an address goes to (RFC 4291 2.7.1). */
export function solicitedNode(target: string): string {
  const v = parseIp(target);
  const low = v ? Number(v.value & 0xffffffn) : 0;
  return `ff02::1:ff${((low >> 16) & 0xff).toString(16).padStart(2, '0')}:${(low & 0xffff).toString(16)}`;
}

/** The multicast MAC of an IPv6 group: 33:33 and its last 32 bits (RFC 2464). */
export function multicastMac6(group: string): string {
  const v = parseIp(group)?.value ?? 0n;
  const b = [0x33, 0x33, ...[24n, 16n, 8n, 0n].map((s) => Number((v >> s) & 0xffn))];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** The conntrack state a packet starts with in each namespace: what conntrack gives it, before any NOTRACK. */
export function nominalCt(l4: Transport): CtState {
  if (l4.proto === 'icmp') return l4.type === 'echo-request' ? 'new' : 'established';
  if (l4.proto === 'nd') return 'untracked';
  return 'new';
}

/** An ICMP echo request or reply as `ping` sends and the kernel answers it. */
export function icmpEcho(opts: {
  readonly src: string | undefined;
  readonly dst: string;
  readonly type: IcmpEcho['type'];
  readonly size?: number;
  readonly df?: boolean;
}): IpPacket {
  return {
    kind: 'ip',
    src: opts.src,
    dst: opts.dst,
    l4: { proto: 'icmp', type: opts.type },
    size: opts.size ?? DEFAULT_PACKET_SIZE,
    df: opts.df ?? false,
    ct: opts.type === 'echo-request' ? 'new' : 'established',
    mark: 0,
  };
}

/** The VXLAN packet a tunnel device sends for a frame. */
export function vxlanPacket(opts: {
  readonly src: string | undefined;
  readonly dst: string;
  readonly port: number;
  readonly vni: number;
  readonly inner: Frame;
  /** The source ports the device picks among, where known. */
  readonly srcPorts?: PortRange | undefined;
}): IpPacket {
  return {
    kind: 'ip',
    src: opts.src,
    dst: opts.dst,
    // The kernel picks the source port from a hash of the inner flow, within the device's port range.
    l4: {
      proto: 'udp',
      sport: undefined,
      dport: opts.port,
      ...(opts.srcPorts === undefined ? {} : { sportRange: opts.srcPorts }),
      vxlan: { vni: opts.vni, inner: opts.inner },
    },
    size: sizeOf(opts.inner.packet) + VXLAN_OVERHEAD,
    // The outer packet never has DF set (vxlan's default `df unset`): it is fragmented, not dropped.
    df: false,
    ct: 'new',
    mark: 0,
  };
}

/**
 * A frame crossing into another namespace (`skb_scrub_packet` with xnet): its mark is cleared and
 * its conntrack entry dropped — the next namespace's conntrack sees it afresh.
 */
export function scrubbed(frame: Frame): Frame {
  const p = frame.packet;
  if (p.kind !== 'ip' || (p.mark === 0 && p.ct === nominalCt(p.l4))) return frame;
  return { ...frame, packet: { ...p, mark: 0, ct: nominalCt(p.l4) } };
}
