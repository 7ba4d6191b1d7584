/** An IP packet as the tracer follows it. An outer VXLAN packet carries its inner frame. */
export interface Packet {
  readonly src: string | undefined;
  readonly dst: string;
  readonly proto: 'icmp' | 'udp' | 'arp';
  readonly dport?: number;
  readonly vni?: number;
  readonly inner?: Frame;
}

export interface Frame {
  readonly srcMac: string | null;
  readonly dstMac: string;
  readonly packet: Packet;
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
