import type { Packet } from '../trace/packet.ts';

/** Ethertypes by the names `tc` prints (iproute2 lib/ll_proto.c), for those filters are made for. */
const ETHERTYPES: Readonly<Record<string, number>> = {
  all: 0x0003,
  ip: 0x0800,
  ipv4: 0x0800,
  arp: 0x0806,
  rarp: 0x8035,
  ipv6: 0x86dd,
  '802.1Q': 0x8100,
  '802.1ad': 0x88a8,
  mpls_uc: 0x8847,
  mpls_mc: 0x8848,
  LLDP: 0x88cc,
  loop: 0x0060,
  teb: 0x6558,
};

/** ETH_P_ALL: a filter that runs for every frame (`protocol all`). */
export const ETH_P_ALL = ETHERTYPES.all!;

/** The ethertype a protocol name stands for (`ip`, `all`, `0x88b5`); undefined when unknown. */
export function ethertypeOf(name: string): number | undefined {
  const known = ETHERTYPES[name];
  if (known !== undefined) return known;
  const m = /^(?:0x)?([0-9a-fA-F]{1,4})$/.exec(name);
  return m ? Number.parseInt(m[1]!, 16) : undefined;
}

/** The name `tc` takes for an ethertype (its first in the table), else the number in hex. */
export function ethertypeName(value: number): string {
  return Object.keys(ETHERTYPES).find((k) => ETHERTYPES[k] === value) ?? `0x${value.toString(16).padStart(4, '0')}`;
}

/** The ethertype of the frame a traced packet travels in (skb->protocol: what tc filters see). */
export function ethertypeOfPacket(p: Packet): number {
  return p.kind === 'arp' ? ETHERTYPES.arp! : p.dst.includes(':') ? ETHERTYPES.ipv6! : ETHERTYPES.ip!;
}
