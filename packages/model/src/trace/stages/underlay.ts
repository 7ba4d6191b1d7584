import { netnsPath } from '../../ids.ts';
import { isBroadcastMac } from '../../net/ip.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { scrubbed, type Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * A physical NIC: the frame goes to the device on another collected host with the destination
 * MAC (for ARP, the one that owns the address), as if one L2 segment joined them.
 */
export function switchUnderlay(w: Walk, le: LinkEntry, frame: Frame): Outcome {
  const pkt = frame.packet;
  // A request for an address (ARP broadcast, a neighbour solicitation to its multicast group) goes to whoever holds it.
  const askedFor =
    isBroadcastMac(frame.dstMac) && pkt.kind === 'arp'
      ? pkt.dst
      : pkt.kind === 'ip' && pkt.l4.proto === 'nd' && pkt.l4.type === 'solicit'
        ? pkt.l4.target
        : undefined;
  const target =
    askedFor !== undefined
      ? w.index.withIp(askedFor).find((o) => o.link.kind === 'device' && o.ref.host !== le.ref.host)
      : w.index.withMac(frame.dstMac).find((o) => o.link.kind === 'device' && o.id !== le.id);
  const stop = (verdict: 'dropped' | 'unknown', reason: string): Outcome =>
    w.stop({ ns: le.netns, link: le, component: 'underlay', verdict, reason });
  if (!target) return stop('unknown', `${le.link.name} leads outside the collected hosts`);
  if (!le.link.carrier) return stop('dropped', `${le.link.name} has no carrier`);
  if (!w.silent)
    w.hop({
      ns: le.netns,
      link: le,
      component: 'underlay',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${le.link.name} → ${target.link.name} (${netnsPath(target.ref)}) over the physical network`,
    });
  return w.receive(target, scrubbed(frame));
}
