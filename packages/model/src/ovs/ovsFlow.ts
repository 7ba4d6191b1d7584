import { parseIp } from '../net/ip.ts';
import type { CtState, Frame } from '../trace/packet.ts';
import { standInPort, type PortStandIn } from './portStandIn.ts';

/** One packet to ask `ofproto/trace` about: on which host and bridge, in its flow syntax. */
export interface OvsQuery {
  readonly host: string;
  readonly bridge: string;
  readonly flow: string;
  /** The conntrack state `ct` actions resume with (`--ct-next`), for IP packets. */
  readonly ctNext?: string;
}

/** The TTL every traced packet carries: ping's, as it leaves its sender. */
export const TRACE_TTL = 64;

const CT_NEXT: Record<CtState, string | undefined> = {
  new: 'trk,new',
  established: 'trk,est',
  related: 'trk,rel',
  invalid: 'trk,inv',
  untracked: undefined,
};

const TCP_FLAGS = { fin: 0x1, syn: 0x2, rst: 0x4, ack: 0x10 } as const;

/**
 * The flow `ofproto/trace` is asked about for a frame entering OpenFlow port `inPort`: every field
 * the tracer knows of the packet, written the same way each time, so that a recorded answer is
 * found again by the same text. `arpSpa` is the sender address of an ARP request whose packet does
 * not say. A TCP or UDP port the kernel picks is asked about with a stand-in (`standIns`: the
 * answer holds only where it did not depend on it, see portDependence).
 */
export function ovsFlow(
  inPort: number,
  frame: Frame,
  arpSpa?: string,
):
  | { readonly flow: string; readonly ctNext?: string; readonly standIns?: readonly PortStandIn[] }
  | { readonly unknown: string } {
  if (frame.srcMac === null) return { unknown: 'the frame has no source MAC' };
  const l2 = `in_port=${inPort},dl_src=${frame.srcMac.toLowerCase()},dl_dst=${frame.dstMac.toLowerCase()}`;
  const pkt = frame.packet;
  if (pkt.kind === 'arp') {
    const spa = pkt.src ?? arpSpa;
    if (spa === undefined) return { unknown: 'the ARP request’s sender address is not known' };
    const reply = pkt.op === 'reply';
    const sha = (reply ? (pkt.sha ?? frame.srcMac) : frame.srcMac).toLowerCase();
    const tha = reply ? (pkt.tha ?? frame.dstMac).toLowerCase() : '00:00:00:00:00:00';
    const arp = `arp_op=${reply ? 2 : 1},arp_spa=${spa},arp_tpa=${pkt.dst},arp_sha=${sha},arp_tha=${tha}`;
    return { flow: `arp,${l2},${arp}` };
  }
  if (pkt.src === undefined) return { unknown: 'the packet has no source address yet' };
  const v6 = parseIp(pkt.dst)?.family === 6;
  const ip = v6
    ? `ipv6_src=${pkt.src},ipv6_dst=${pkt.dst},nw_ttl=${TRACE_TTL}`
    : `nw_src=${pkt.src},nw_dst=${pkt.dst},nw_ttl=${TRACE_TTL}`;
  const ct = CT_NEXT[pkt.ct];
  const l4 = pkt.l4;
  const standIns: PortStandIn[] = [];
  const port = (field: PortStandIn['field']): number => {
    if (l4.proto !== 'tcp' && l4.proto !== 'udp') return 0;
    const known = field === 'tp_src' ? l4.sport : l4.dport;
    if (known !== undefined) return known;
    const range = field === 'tp_src' ? l4.sportRange : l4.dportRange;
    const stand = standInPort(range);
    standIns.push({ field, port: stand, range });
    return stand;
  };
  const withCt = (flow: string): { flow: string; ctNext?: string; standIns?: readonly PortStandIn[] } => ({
    flow,
    ...(ct === undefined ? {} : { ctNext: ct }),
    ...(standIns.length === 0 ? {} : { standIns }),
  });
  switch (l4.proto) {
    case 'icmp': {
      const request = l4.type === 'echo-request';
      return v6
        ? withCt(`icmp6,${l2},${ip},icmpv6_type=${request ? 128 : 129},icmpv6_code=0`)
        : withCt(`icmp,${l2},${ip},icmp_type=${request ? 8 : 0},icmp_code=0`);
    }
    case 'udp':
      return withCt(`${v6 ? 'udp6' : 'udp'},${l2},${ip},tp_src=${port('tp_src')},tp_dst=${port('tp_dst')}`);
    case 'nd':
      // Neighbour discovery as OVS matches it; OVN answers it in its own tables.
      return withCt(
        `icmp6,${l2},${ip},icmpv6_type=${l4.type === 'solicit' ? 135 : 136},icmpv6_code=0,nd_target=${l4.target}`,
      );
    case 'tcp': {
      const flags = l4.flags.reduce((a, f) => a | TCP_FLAGS[f], 0);
      const hex = `0x${flags.toString(16).padStart(3, '0')}`;
      return withCt(
        `${v6 ? 'tcp6' : 'tcp'},${l2},${ip},tp_src=${port('tp_src')},tp_dst=${port('tp_dst')},tcp_flags=${hex}`,
      );
    }
  }
}

/** The key a recorded or live answer is filed under. */
export const ovsQueryKey = (q: Pick<OvsQuery, 'host' | 'bridge' | 'flow' | 'ctNext'>): string =>
  `${q.host}\u0000${q.bridge}\u0000${q.flow}\u0000${q.ctNext ?? ''}`;

/**
 * The command a person runs on the node to ask OVS the same question: `-t` names the switch's
 * control socket where it is not in the default run directory.
 */
export function ofprotoTraceCommand(q: Omit<OvsQuery, 'host'>, control?: string): string[] {
  return [
    'ovs-appctl',
    ...(control === undefined ? [] : ['-t', control]),
    'ofproto/trace',
    q.bridge,
    q.flow,
    ...(q.ctNext === undefined ? [] : ['--ct-next', q.ctNext]),
  ];
}
