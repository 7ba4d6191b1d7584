import type { NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * An ICMP echo request reaching its namespace (`icmp_echo`, `icmpv6_echo_reply`): with
 * `icmp_echo_ignore_all` (IPv4) or `icmp.echo_ignore_all` (IPv6) set, the kernel takes the request
 * and sends nothing back — it is consumed, so no drop reason is recorded. Returns the stop, or
 * undefined when the request will be answered. Where the namespace's sysctls were not collected the
 * request is taken as answered (the kernel's default), which `assumed` tells the caller to say.
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

/** Words for a local-delivery hop where the ICMP echo settings were not collected. */
export const echoAssumed = (ns: NetnsEntry, pkt: IpPacket): string =>
  pkt.l4.proto === 'icmp' && pkt.l4.type === 'echo-request' && ns.ns.sysctls === undefined
    ? ' (ICMP echo settings not collected: taken as answered)'
    : '';
