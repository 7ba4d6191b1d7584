import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { RouteDecision } from './route.ts';

/**
 * The MTU check after the routing decision: the packet goes on whole, fragmented (the size the rest
 * of the path carries), or the walk stops. The route's own `mtu` stands for the device's where the
 * kernel reads it: for a packet the namespace sends (`ip_append_data` refuses one with Don't
 * Fragment: EMSGSIZE, fragments the rest) and a forwarded IPv4 one (`ip_dst_mtu_maybe_forward`:
 * "forwarding = true case should always honour route mtu"; `ip_forward` drops one with DF). A
 * forwarded IPv6 packet is never fragmented: `ip6_forward` holds it to the device's MTU, or to the
 * route's where it is locked (`ip6_dst_mtu_maybe_forward`), and `ip6_fragment` then to the route's
 * own; either answers Packet Too Big. A forwarded drop happens before the packet leaves: the kernel
 * frees it on the device it came in on, where the hop is put.
 */
export function egressMtu(w: Walk, to: RouteDecision, pkt: IpPacket, iif?: LinkEntry): IpPacket | Outcome {
  const { out } = to;
  const dev = out.link.mtu;
  const mtu = to.mtu ?? dev;
  const limit = (m: number): string =>
    m === to.mtu ? `the MTU ${m} its route sets (${out.link.name}'s is ${dev})` : `the MTU ${m} of ${out.link.name}`;
  const drop = (reason: string, dropReason: string, at: LinkEntry = iif ?? out): Outcome =>
    w.stop({ ns: out.netns, link: at, component: 'routing', verdict: 'dropped', reason, dropReason });
  if (iif !== undefined && pkt.dst.includes(':')) {
    const atForward = to.mtuLock ? mtu : dev;
    const tooBig = (m: number, where: string): string =>
      `a forwarded ${pkt.size}-byte IPv6 packet exceeds ${limit(m)}: a router does not fragment IPv6, ${where} answers Packet Too Big`;
    if (pkt.size > atForward) return drop(tooBig(atForward, 'ip6_forward'), 'PKT_TOO_BIG');
    // Past ip6_forward, whose check the unlocked route MTU does not bind, ip6_fragment refuses it.
    if (pkt.size > mtu) return drop(tooBig(mtu, 'ip6_fragment'), 'NOT_SPECIFIED');
    return pkt;
  }
  if (pkt.size <= mtu) return pkt;
  if (pkt.df) {
    return drop(
      `a ${pkt.size}-byte packet with Don't Fragment set exceeds ${limit(mtu)}: the kernel refuses it (fragmentation needed)`,
      // A forwarded one is dropped by ip_forward; a local one is refused at send.
      iif ? 'PKT_TOO_BIG' : 'EMSGSIZE',
    );
  }
  // Fragmented: the largest fragment is what the rest of the path must carry.
  return { ...pkt, size: mtu };
}
