import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { NetnsEntry } from '../../topology/snapshotIndex.ts';
import { finishOutput } from './finishOutput.ts';
import { isOutcome, route } from './route.ts';

/**
 * A namespace's own stack sends a packet (`ip_local_out`): to itself it is delivered at once;
 * otherwise the routing decision picks the device, the source and the next hop.
 */
export function ipOutput(w: Walk, ns: NetnsEntry, pkt: IpPacket): Outcome {
  if (w.index.isLocal(ns, pkt.dst)) {
    w.hop({
      ns,
      component: 'local-delivery',
      action: 'delivered',
      verdict: 'ok',
      reason: `${pkt.dst} is local to this namespace`,
    });
    return w.delivered(ns, pkt.src ?? pkt.dst);
  }
  const decision = route(w, ns, pkt);
  if (isOutcome(decision)) return decision;
  return finishOutput(w, decision, { ...pkt, src: decision.src });
}
