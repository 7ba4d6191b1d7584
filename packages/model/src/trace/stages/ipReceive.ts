import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { ipForward } from './ipForward.ts';
import { ipFamily } from './ipLocal.ts';
import { ndReceive } from './ndReceive.ts';
import { nfHook, stopped } from './netfilter.ts';
import { decapsulate } from './vxlan.ts';

/**
 * An IP packet received by a namespace (`ip_rcv`): the PREROUTING hook, then the input routing
 * decision — for another address it is forwarded; neighbour discovery goes to ndisc; for a local
 * one the INPUT hook, then its socket: a VXLAN device's for a tunnel packet, else the stack.
 */
export function ipReceive(
  w: Walk,
  le: LinkEntry,
  pkt: IpPacket,
  opts: { frame?: Frame; prerouted?: boolean } = {},
): Outcome {
  const ns = le.netns;
  const family = ipFamily(pkt);
  let p = pkt;
  // br_netfilter ran PREROUTING on the bridge already; ip_sabotage_in keeps it from running twice.
  if (!opts.prerouted) {
    const pre = nfHook(w, ns, family, 'prerouting', pkt, { iif: le, frame: opts.frame });
    if (stopped(pre)) return pre;
    p = pre;
  }
  if (p.l4.proto === 'nd') return ndReceive(w, le, p, opts.frame);
  if (!w.index.isLocal(ns, p.dst)) return ipForward(w, le, p);
  const input = nfHook(w, ns, family, 'input', p, { iif: le, frame: opts.frame });
  if (stopped(input)) return input;
  if (input.l4.proto === 'udp' && input.l4.vxlan) return decapsulate(w, le, input.l4.dport, input.l4.vxlan);
  w.hop({
    ns,
    link: le,
    component: 'local-delivery',
    action: 'delivered',
    verdict: 'ok',
    reason: `${p.dst} is local: delivered`,
  });
  return w.delivered(ns, input.src);
}
