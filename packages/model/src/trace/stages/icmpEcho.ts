import type { NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * An ICMP echo request reaching its namespace (`icmp_echo`, `icmpv6_echo_reply`): with
 * `icmp_echo_ignore_all` (IPv4) or `icmp.echo_ignore_all` (IPv6) set, the kernel takes the request
 * and sends nothing back — it is consumed, so no drop reason is recorded. Returns the stop, or
 * undefined when the request will be answered or that cannot be told (see echoUntold).
 */
export function echoIgnored(w: Walk, ns: NetnsEntry, pkt: IpPacket): Outcome | undefined {
  if (pkt.l4.proto !== 'icmp' || pkt.l4.type !== 'echo-request') return undefined;
  const v6 = pkt.dst.includes(':');
  const s = ns.ns.sysctls;
  const ignore = v6 ? s?.icmp6EchoIgnoreAll : s?.icmpEchoIgnoreAll;
  if (!ignore) return undefined;
  const name = v6 ? 'net.ipv6.icmp.echo_ignore_all' : 'net.ipv4.icmp_echo_ignore_all';
  return w.stop({
    ns,
    component: 'local-delivery',
    verdict: 'dropped',
    reason: `${pkt.dst} is local, but ${name}=${ignore}: the echo request is taken and never answered`,
  });
}

/**
 * Words for the local-delivery hop of an ICMP echo request where the setting that decides whether it
 * is answered was not collected: the hop and the trace are then unknown (the reply is still walked:
 * what the network does to an answer is known either way). Undefined where it was, or for any other
 * packet.
 */
export function echoUntold(ns: NetnsEntry, pkt: IpPacket): string | undefined {
  if (pkt.l4.proto !== 'icmp' || pkt.l4.type !== 'echo-request') return undefined;
  const v6 = pkt.dst.includes(':');
  const s = ns.ns.sysctls;
  if ((v6 ? s?.icmp6EchoIgnoreAll : s?.icmpEchoIgnoreAll) !== undefined) return undefined;
  const name = v6 ? 'net.ipv6.icmp.echo_ignore_all' : 'net.ipv4.icmp_echo_ignore_all';
  return ` (${name} not collected: whether the echo request is answered is not known — 0, the default, answers it; 1 takes it and sends nothing back)`;
}
