import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { NetnsEntry } from '../../topology/snapshotIndex.ts';
import { conntrackFull } from './conntrack.ts';
import { finishOutput } from './finishOutput.ts';
import { ipFamily, localLoop } from './ipLocal.ts';
import { natHook } from './nat.ts';
import { nfHook, stopped } from './netfilter.ts';
import { isOutcome, route, type RouteDecision } from './route.ts';

/**
 * A namespace's own stack sends a packet (`ip_local_out`): to itself it loops back through its
 * hooks (where an ICMP echo request may still be ignored); otherwise the routing decision picks the
 * device, the source and the next hop, then the OUTPUT hook (a mark it sets re-routes the packet),
 * POSTROUTING, and the device.
 */
export function ipOutput(w: Walk, ns: NetnsEntry, pkt: IpPacket): Outcome {
  if (w.index.isLocal(ns, pkt.dst)) return localLoop(w, ns, pkt);
  const decision = route(w, ns, pkt);
  if (isOutcome(decision)) return decision;
  return localOut(w, ns, pkt, decision);
}

/**
 * `ip_local_out` once the route is chosen: conntrack and the OUTPUT hook (a mark or destination it
 * changes re-routes the packet), POSTROUTING, then the device. Also the way an ipvlan slave's l3
 * packet leaves its master's namespace (`ipvlan_process_v4_outbound` calls `ip_local_out` there).
 */
export function localOut(w: Walk, ns: NetnsEntry, pkt: IpPacket, routed: RouteDecision): Outcome {
  let decision = routed;
  const full = conntrackFull(w, ns, pkt) ?? natHook(w, ns, pkt, 'output');
  if (full) return full;
  const family = ipFamily(pkt);
  const out = nfHook(w, ns, family, 'output', { ...pkt, src: decision.src }, { oif: decision.out });
  if (stopped(out)) return out;
  if (out.mark !== pkt.mark || out.dst !== pkt.dst) {
    // ip_route_me_harder: a mark a rule set (fwmark policy rules) or a DNAT may pick another route;
    // a DNAT to one of the namespace's own addresses routes it to `lo`, to be taken here.
    if (out.dst !== pkt.dst && w.index.isLocal(ns, out.dst))
      return localLoop(w, ns, out, `the OUTPUT hook rewrote ${pkt.dst} to ${out.dst}`);
    const again = route(w, ns, out, undefined, true);
    if (isOutcome(again)) return again;
    decision = again;
  }
  const post = nfHook(w, ns, family, 'postrouting', out, { oif: decision.out });
  if (stopped(post)) return post;
  return finishOutput(w, decision, post);
}
