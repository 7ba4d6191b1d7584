import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { NetnsEntry } from '../../topology/snapshotIndex.ts';
import { conntrackFull } from './conntrack.ts';
import { finishOutput } from './finishOutput.ts';
import { natHook } from './nat.ts';
import { echoAssumed, echoIgnored } from './icmpEcho.ts';
import { isOutcome, route } from './route.ts';

/**
 * A namespace's own stack sends a packet (`ip_local_out`): to itself it is delivered at once (where
 * an ICMP echo request may still be ignored); otherwise the routing decision picks the device, the
 * source and the next hop.
 */
export function ipOutput(w: Walk, ns: NetnsEntry, pkt: IpPacket): Outcome {
  if (w.index.isLocal(ns, pkt.dst)) {
    const ignored = echoIgnored(w, ns, pkt);
    if (ignored) return ignored;
    w.hop({
      ns,
      component: 'local-delivery',
      action: 'delivered',
      verdict: 'ok',
      reason: `${pkt.dst} is local to this namespace${echoAssumed(ns, pkt)}`,
    });
    return w.delivered(ns, pkt.src ?? pkt.dst);
  }
  const decision = route(w, ns, pkt);
  if (isOutcome(decision)) return decision;
  const full = conntrackFull(w, ns, pkt) ?? natHook(w, ns, pkt, 'output');
  if (full) return full;
  return finishOutput(w, decision, { ...pkt, src: decision.src });
}
