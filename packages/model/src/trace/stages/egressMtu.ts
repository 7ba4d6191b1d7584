import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { RouteDecision } from './route.ts';

/**
 * The MTU a forwarded packet must fit, checked by `ip_forward` / `ip6_forward` right after the
 * routing decision and BEFORE the FORWARD hook (so a too-big packet dies there whatever FORWARD
 * says): an IPv4 packet with DF over the route's MTU or else the device's
 * (`ip_dst_mtu_maybe_forward`: "forwarding = true case should always honour route mtu"), an IPv6
 * one over the device's, or the route's where it is locked (`ip6_dst_mtu_maybe_forward`). Either
 * answers Frag Needed / Packet Too Big; the kernel frees it on the device it came in on, where the
 * hop is put. Returns undefined where the packet fits.
 */
export function forwardMtu(w: Walk, to: RouteDecision, pkt: IpPacket, iif: LinkEntry): Outcome | undefined {
  const v6 = pkt.dst.includes(':');
  const limit = v6 ? (to.mtuLock ? mtuOf(to) : to.out.link.mtu) : mtuOf(to);
  if (pkt.size <= limit || (!v6 && !pkt.df)) return undefined;
  const reason = v6
    ? `a forwarded ${pkt.size}-byte IPv6 packet exceeds ${limitText(to, limit)}: a router does not fragment IPv6, ip6_forward answers Packet Too Big`
    : `a ${pkt.size}-byte packet with Don't Fragment set exceeds ${limitText(to, limit)}: ip_forward refuses it (fragmentation needed) before the FORWARD hook`;
  return w.stop({
    ns: to.out.netns,
    link: iif,
    component: 'routing',
    verdict: 'dropped',
    reason,
    dropReason: 'PKT_TOO_BIG',
  });
}

/**
 * The MTU check on the way out (`ip_finish_output`, after POSTROUTING): the packet goes on whole,
 * fragmented (the size the rest of the path carries), or the walk stops. The route's own `mtu`
 * stands for the device's. A packet the namespace sends with Don't Fragment is refused at send
 * (`ip_append_data`: EMSGSIZE), the rest fragmented. A forwarded one passed forwardMtu already:
 * IPv4 without DF is fragmented; IPv6, never fragmented by a router, meets `ip6_fragment`, which
 * holds it to the route's own MTU where forwardMtu held it to the device's, and answers Packet Too
 * Big (freed without a reason, on the device it came in on).
 */
export function egressMtu(w: Walk, to: RouteDecision, pkt: IpPacket, iif?: LinkEntry): IpPacket | Outcome {
  const mtu = mtuOf(to);
  const drop = (reason: string, dropReason: string): Outcome =>
    w.stop({ ns: to.out.netns, link: iif ?? to.out, component: 'routing', verdict: 'dropped', reason, dropReason });
  if (iif !== undefined && pkt.dst.includes(':')) {
    if (pkt.size <= mtu) return pkt;
    return drop(
      `a forwarded ${pkt.size}-byte IPv6 packet exceeds ${limitText(to, mtu)}: a router does not fragment IPv6, ip6_fragment answers Packet Too Big`,
      'NOT_SPECIFIED',
    );
  }
  if (pkt.size <= mtu) return pkt;
  if (pkt.df && iif === undefined) {
    return drop(
      `a ${pkt.size}-byte packet with Don't Fragment set exceeds ${limitText(to, mtu)}: the kernel refuses it (fragmentation needed)`,
      'EMSGSIZE',
    );
  }
  // Fragmented: the largest fragment is what the rest of the path must carry.
  return { ...pkt, size: mtu };
}

const mtuOf = (to: RouteDecision): number => to.mtu ?? to.out.link.mtu;

function limitText(to: RouteDecision, m: number): string {
  const dev = to.out.link.mtu;
  return m === to.mtu
    ? `the MTU ${m} its route sets (${to.out.link.name}'s is ${dev})`
    : `the MTU ${m} of ${to.out.link.name}`;
}
