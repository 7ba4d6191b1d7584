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
  readonly dport: number;
  readonly vxlan?: { readonly vni: number; readonly inner: Frame };
}

/** TCP: the segment's ports and the flags that matter to a firewall (a SYN opens a connection). */
export interface Tcp {
  readonly proto: 'tcp';
  readonly sport: number;
  readonly dport: number;
  readonly flags: readonly ('syn' | 'ack' | 'fin' | 'rst')[];
}

export type Transport = IcmpEcho | Udp | Tcp;

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

/** An ARP request for `dst` (`who-has dst tell src`). */
export interface ArpRequest {
  readonly kind: 'arp';
  readonly src: string | undefined;
  readonly dst: string;
}

export type Packet = IpPacket | ArpRequest;

export interface Frame {
  readonly srcMac: string | null;
  readonly dstMac: string;
  readonly packet: Packet;
  /** The 802.1Q VLAN id a vlan device tagged it with, until the receiving side takes the tag off. */
  readonly vlan?: number;
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
}): IpPacket {
  return {
    kind: 'ip',
    src: opts.src,
    dst: opts.dst,
    // The kernel picks the source port from a hash of the inner flow, within the device's port range.
    l4: { proto: 'udp', sport: undefined, dport: opts.port, vxlan: { vni: opts.vni, inner: opts.inner } },
    size: sizeOf(opts.inner.packet) + VXLAN_OVERHEAD,
    // The outer packet never has DF set (vxlan's default `df unset`): it is fragmented, not dropped.
    df: false,
    ct: 'new',
    mark: 0,
  };
}
