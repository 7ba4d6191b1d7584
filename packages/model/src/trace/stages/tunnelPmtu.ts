import { parseIp } from '../../net/ip.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

/** The headroom `vxlan_headroom` counts: the outer IP header, UDP 8 and VXLAN 8 (not the inner Ethernet). */
const headroom = (remote: string): number => (remote.includes(':') ? 40 : 20) + 16;
/** Below these the kernel lets the outer packet be fragmented instead (iptunnel_pmtud_check_icmp/v6). */
const MIN_MTU_V4 = 576;
const MIN_MTU_V6 = 1280;

/**
 * A VXLAN device that is a bridge port checks a switched frame against the path to its remote
 * (`skb_tunnel_check_pmtu` in `vxlan_xmit_one`): an inner IPv4 packet with Don't Fragment (or any
 * IPv6 one) larger than the route's MTU less the outer headers is not sent; the device answers it
 * with ICMP "fragmentation needed" back into the bridge (`iptunnel_pmtud_build_icmp`), so the
 * sender learns the path MTU, and nothing arrives. Without DF, from the bridge's own stack, or on a
 * device that is no bridge port, the outer packet is fragmented instead. The route's own `mtu`,
 * where it sets one, stands for the device's (`dst_mtu`).
 */
export function tunnelPmtu(
  w: Walk,
  le: LinkEntry,
  frame: Frame,
  socketNs: NetnsEntry,
  remote: string,
): Outcome | undefined {
  const pkt = frame.packet;
  if (!frame.switched || pkt.kind !== 'ip' || pkt.src === undefined || !bridgePort(le)) return undefined;
  const v6 = pkt.dst.includes(':');
  if (!v6 && (!pkt.df || !answerable4(pkt.src, pkt.dst))) return undefined;
  if (v6 && !unicast6(pkt.src)) return undefined;
  const match = w.index.routes(socketNs).lookup(remote, { src: le.link.vxlan?.local, mark: 0 });
  // No usable (or an unknown) route: the encapsulated packet's own routing decision says what happens.
  if (match?.kind !== 'route' || match.route.type !== 'unicast' || match.route.dev === undefined) return undefined;
  const out = socketNs.linksByName.get(match.route.dev);
  if (!out) return undefined;
  const pathMtu = match.route.mtu ?? out.link.mtu;
  const mtu = pathMtu - headroom(remote);
  if (pkt.size <= mtu || mtu < (v6 ? MIN_MTU_V6 : MIN_MTU_V4)) return undefined;
  return w.stop({
    ns: le.netns,
    link: le,
    component: 'vxlan-encap',
    verdict: 'dropped',
    reason: `a ${pkt.size}-byte packet${v6 ? '' : " with Don't Fragment set"} does not fit the path to ${remote} (MTU ${pathMtu} of ${match.route.mtu === undefined ? out.link.name : `the route to ${match.route.dst}`}, less ${headroom(remote)} bytes of outer headers: ${mtu}): ${le.link.name}, a port of a bridge, answers it with ICMP fragmentation needed and sends nothing`,
  });
}

const bridgePort = (le: LinkEntry): boolean =>
  le.link.masterIfindex !== undefined && le.netns.linksByIndex.get(le.link.masterIfindex)?.link.kind === 'bridge';

/** Not to or from a broadcast or multicast address, nor from 0.0.0.0/8 or loopback. */
function answerable4(src: string, dst: string): boolean {
  const first = (a: string): number => Number(a.split('.')[0]);
  const group = (a: string): boolean => first(a) >= 224 && first(a) <= 239;
  const bcast = (a: string): boolean => a === '255.255.255.255';
  return !group(dst) && !bcast(dst) && !group(src) && !bcast(src) && first(src) !== 0 && first(src) !== 127;
}

function unicast6(src: string): boolean {
  const v = parseIp(src);
  return v !== undefined && v.value !== 0n && !src.toLowerCase().startsWith('ff');
}
