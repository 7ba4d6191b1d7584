import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { natHook } from './nat.ts';
import { resolveNeighbor } from './neighbor.ts';
import type { RouteDecision } from './route.ts';

/**
 * After the routing decision (`ip_finish_output`): NAT at POSTROUTING may rewrite it; a packet larger than the egress MTU is refused
 * with Don't Fragment set and fragmented without it; then the next hop's MAC is resolved and the
 * frame handed to the device.
 */
export function finishOutput(w: Walk, to: RouteDecision, pkt: IpPacket, forwarded = false): Outcome {
  const { out } = to;
  const nat = natHook(w, out.netns, pkt, 'postrouting', out);
  if (nat) return nat;
  let sent = pkt;
  if (pkt.size > out.link.mtu) {
    if (pkt.df) {
      return w.stop({
        ns: out.netns,
        link: out,
        component: 'routing',
        verdict: 'dropped',
        reason: `a ${pkt.size}-byte packet with Don't Fragment set exceeds the MTU ${out.link.mtu} of ${out.link.name}: the kernel refuses it (fragmentation needed)`,
        // A forwarded one is dropped by ip_forward; a local one is refused at send.
        dropReason: forwarded ? 'PKT_TOO_BIG' : 'EMSGSIZE',
      });
    }
    // Fragmented: the largest fragment is what the rest of the path must carry.
    sent = { ...pkt, size: out.link.mtu };
  }
  const mac = resolveNeighbor(w, out, to.nexthop, sent.src);
  if (!mac) return w.end(w.neighborFailure);
  return w.transmit(out, { srcMac: out.link.mac, dstMac: mac, packet: sent });
}
