import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { conntrackFull } from './conntrack.ts';
import { echoAssumed, echoIgnored } from './icmpEcho.ts';
import { ipForward } from './ipForward.ts';
import { ipv6Receive } from './ipv6Receive.ts';
import { martian } from './martian.ts';
import { natHook } from './nat.ts';
import { validateSource } from './validateSource.ts';
import { decapsulate } from './vxlan.ts';

/**
 * An IP packet received by a namespace (`ip_rcv` / `ipv6_rcv` and the input routing decision): a
 * device with IPv6 disabled drops IPv6; a full conntrack table may drop a new connection at
 * PREROUTING (unknown: see conntrack.ts), where NAT may rewrite it; IPv4 martians are dropped; a packet for another address is
 * forwarded; one for a local address passes the source check (reverse-path filter, local source)
 * and is delivered to its socket — a VXLAN device's for a tunnel packet, else the local stack,
 * where an ICMP echo request may be ignored.
 */
export function ipReceive(w: Walk, le: LinkEntry, pkt: IpPacket): Outcome {
  const ns = le.netns;
  const early =
    (pkt.dst.includes(':') ? ipv6Receive(w, le) : undefined) ??
    conntrackFull(w, ns, pkt) ??
    natHook(w, ns, pkt, 'prerouting', le) ??
    martian(w, le, pkt);
  if (early) return early;
  if (!w.index.isLocal(ns, pkt.dst)) return ipForward(w, le, pkt);
  const refused = validateSource(w, le, pkt);
  if (refused) return refused;
  if (pkt.l4.proto === 'udp' && pkt.l4.vxlan) return decapsulate(w, le, pkt.l4.dport, pkt.l4.vxlan);
  const ignored = natHook(w, ns, pkt, 'input', le) ?? echoIgnored(w, ns, pkt);
  if (ignored) return ignored;
  w.hop({
    ns,
    link: le,
    component: 'local-delivery',
    action: 'delivered',
    verdict: 'ok',
    reason: `${pkt.dst} is local: delivered${echoAssumed(ns, pkt)}`,
  });
  return w.delivered(ns, pkt.src);
}
