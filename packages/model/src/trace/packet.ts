/** An IP packet as the tracer follows it. An outer VXLAN packet carries its inner frame. */
export interface Packet {
  readonly src: string | undefined;
  readonly dst: string;
  readonly proto: 'icmp' | 'udp' | 'arp';
  readonly dport?: number;
  readonly vni?: number;
  readonly inner?: Frame;
  /** Total IP length in bytes; absent means a default ping (84 bytes for IPv4). */
  readonly size?: number;
  /** Don't Fragment: a packet larger than a device's MTU is dropped instead of fragmented. */
  readonly df?: boolean;
}

/** A default `ping`: 56 bytes of payload, ICMP header 8 and IPv4 header 20. */
export const DEFAULT_PACKET_SIZE = 84;
export const sizeOf = (pkt: Packet): number => pkt.size ?? (pkt.proto === 'arp' ? 28 : DEFAULT_PACKET_SIZE);

export interface Frame {
  readonly srcMac: string | null;
  readonly dstMac: string;
  readonly packet: Packet;
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
