import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { egressMtu } from './egressMtu.ts';
import { natHook } from './nat.ts';
import { resolveNeighbor } from './neighbor.ts';
import type { RouteDecision } from './route.ts';

/**
 * After the routing decision (`ip_finish_output`): NAT at POSTROUTING may rewrite it; a packet
 * larger than the MTU is refused or fragmented (egressMtu; `iif` is the device a forwarded one came
 * in on); then the next hop's MAC is resolved and the frame handed to the device.
 */
export function finishOutput(w: Walk, to: RouteDecision, pkt: IpPacket, iif?: LinkEntry): Outcome {
  const { out } = to;
  const nat = natHook(w, out.netns, pkt, 'postrouting', out);
  if (nat) return nat;
  const sent = egressMtu(w, to, pkt, iif);
  if ('verdict' in sent) return sent;
  const mac = resolveNeighbor(w, out, to.nexthop, sent.src);
  if (!mac) return w.end(w.neighborFailure);
  return w.transmit(out, { srcMac: out.link.mac, dstMac: mac, packet: sent });
}
