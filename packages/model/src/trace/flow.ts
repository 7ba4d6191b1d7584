import type { PortRange } from '../net/portRange.ts';
import type { IpPacket, Transport } from './packet.ts';
import { icmpEcho } from './packet.ts';

/** The transport a trace sends: a ping, a TCP connect to a port, or a UDP datagram to one. */
export type FlowProto = 'icmp' | 'tcp' | 'udp';

/** What the request carries, as a tool would send it. */
export interface FlowSpec {
  readonly proto: FlowProto;
  /** The destination port (TCP, UDP). */
  readonly port?: number | undefined;
  /** ICMP or UDP payload bytes. */
  readonly payload: number;
  readonly df: boolean;
}

const ipHeader = (v6: boolean): number => (v6 ? 40 : 20);
/** A SYN's TCP header with the options Linux sends (MSS, SACK, timestamps, window scale). */
const TCP_SYN = 40;

/**
 * The first packet of the flow: an echo request, a SYN, or a datagram — the last two from a port
 * the kernel picks (unknown here, but for the range the sender's namespace gives it, `ephemeral`:
 * a rule matching it is known where the whole range answers alike, else evaluated both ways). TCP
 * sets DF (PMTU discovery); ping and UDP only when asked.
 */
export function requestPacket(flow: FlowSpec, dst: string, ephemeral?: PortRange): IpPacket {
  const v6 = dst.includes(':');
  if (flow.proto === 'icmp') {
    return icmpEcho({ src: undefined, dst, type: 'echo-request', size: flow.payload + 8 + ipHeader(v6), df: flow.df });
  }
  const range = ephemeral === undefined ? {} : { sportRange: ephemeral };
  const l4: Transport =
    flow.proto === 'tcp'
      ? { proto: 'tcp', sport: undefined, dport: flow.port, ...range, flags: ['syn'] }
      : { proto: 'udp', sport: undefined, dport: flow.port, ...range };
  return {
    kind: 'ip',
    src: undefined,
    dst,
    l4,
    size: ipHeader(v6) + (flow.proto === 'tcp' ? TCP_SYN : 8 + flow.payload),
    df: flow.proto === 'tcp' || flow.df,
    ct: 'new',
    mark: 0,
  };
}

/**
 * What the receiving socket answers the request as it got it (`got`, after any NAT on the way): an
 * echo reply as large as the request, a SYN-ACK, or a UDP reply of the request's size — from the
 * address and port the request reached, back to `to`. `size` is the request's as sent (what arrived
 * may be a fragment). Replies never set DF but TCP's.
 */
export function replyPacket(got: IpPacket, to: string, size: number): IpPacket {
  const l4 = got.l4;
  if (l4.proto === 'tcp') {
    const back: Transport = { proto: 'tcp', sport: l4.dport, dport: l4.sport, ...swapped(l4), flags: ['syn', 'ack'] };
    return { ...got, src: got.dst, dst: to, l4: back, size, df: true, ct: 'established', mark: 0 };
  }
  if (l4.proto === 'udp') {
    const back: Transport = { proto: 'udp', sport: l4.dport, dport: l4.sport, ...swapped(l4) };
    return { ...got, src: got.dst, dst: to, l4: back, size, ct: 'established', mark: 0, df: false };
  }
  return icmpEcho({ src: got.dst, dst: to, type: 'echo-reply', size });
}

/** The port ranges of a reply: the request's, each end's turned round. */
const swapped = (l4: {
  readonly sportRange?: PortRange;
  readonly dportRange?: PortRange;
}): {
  sportRange?: PortRange;
  dportRange?: PortRange;
} => ({
  ...(l4.dportRange === undefined ? {} : { sportRange: l4.dportRange }),
  ...(l4.sportRange === undefined ? {} : { dportRange: l4.sportRange }),
});
