import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { finishOutput } from './finishOutput.ts';
import { ipFamily } from './ipLocal.ts';
import { nfHook, stopped } from './netfilter.ts';
import { isOutcome, route } from './route.ts';

/**
 * A packet received for another address (`ip_forward`): only a namespace with forwarding on routes
 * it, by a lookup that knows the device it came in on; then the FORWARD and POSTROUTING hooks.
 */
export function ipForward(w: Walk, iif: LinkEntry, pkt: IpPacket): Outcome {
  const ns = iif.netns;
  if (ns.ns.ipForward === undefined) {
    return w.stop({
      ns,
      link: iif,
      component: 'routing',
      verdict: 'unknown',
      reason: `${pkt.dst} is not local here, and whether this namespace forwards was not collected`,
    });
  }
  if (!ns.ns.ipForward) {
    return w.stop({
      ns,
      link: iif,
      component: 'routing',
      verdict: 'dropped',
      reason: `${pkt.dst} is not local here and ip_forward is off`,
    });
  }
  const decision = route(w, ns, pkt, iif);
  if (isOutcome(decision)) return decision;
  const family = ipFamily(pkt);
  const fwd = nfHook(w, ns, family, 'forward', { ...pkt, src: decision.src }, { iif, oif: decision.out });
  if (stopped(fwd)) return fwd;
  const post = nfHook(w, ns, family, 'postrouting', fwd, { oif: decision.out });
  if (stopped(post)) return post;
  return finishOutput(w, decision, post);
}
