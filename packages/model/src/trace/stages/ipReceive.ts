import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { ipForward } from './ipForward.ts';
import { decapsulate } from './vxlan.ts';

/**
 * An IP packet received by a namespace (`ip_rcv` and the input routing decision): for another
 * address it is forwarded; for a local one it is delivered to its socket — a VXLAN device's for
 * a tunnel packet, else the local stack.
 */
export function ipReceive(w: Walk, le: LinkEntry, pkt: IpPacket): Outcome {
  const ns = le.netns;
  if (!w.index.isLocal(ns, pkt.dst)) return ipForward(w, le, pkt);
  if (pkt.l4.proto === 'udp' && pkt.l4.vxlan) return decapsulate(w, le, pkt.l4.dport, pkt.l4.vxlan);
  w.hop({
    ns,
    link: le,
    component: 'local-delivery',
    action: 'delivered',
    verdict: 'ok',
    reason: `${pkt.dst} is local: delivered`,
  });
  return w.delivered(ns, pkt.src);
}
