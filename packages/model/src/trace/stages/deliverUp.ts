import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { arpReply } from './arp.ts';
import { ipReceive } from './ipReceive.ts';
import { nfHook, stopped } from './netfilter.ts';

/**
 * A frame a device accepted goes up to its protocol (`deliver_skb` by ethertype): ARP, past the
 * ARP family's input hook, to `arp_process` (a request is answered or not; an answer arrives here,
 * and whether it is the requester's device the asking side decides); IP to `ip_rcv`. `prerouted`:
 * br_netfilter already ran the IP PREROUTING hook for this frame.
 */
export function deliverUp(w: Walk, le: LinkEntry, frame: Frame, prerouted = false): Outcome {
  const pkt = frame.packet;
  if (pkt.kind === 'ip') return ipReceive(w, le, pkt, { frame, prerouted });
  // arp_rcv: a NOARP device consumes every ARP frame before the hook, answering nothing. Where it
  // holds the address asked for, that is why the request goes unanswered.
  if (le.link.noarp) {
    if (pkt.op === 'reply' || !w.index.isLocal(le.netns, pkt.dst)) return w.end('dropped');
    w.arpRefusal ??= {
      verdict: 'dropped',
      cause: 'noarp',
      reason: `holds ${pkt.dst} but has ARP off (NOARP): it answers no requests`,
      at: le,
      target: pkt.dst,
      sender: pkt.src,
    };
    return w.end('dropped');
  }
  const arp = nfHook(w, le.netns, 'arp', 'input', pkt, { iif: le, frame });
  if (stopped(arp)) return arp;
  if (arp.op === 'reply') return w.delivered(le.netns, arp.src, arp.sha ?? frame.srcMac ?? undefined);
  return arpReply(w, le, arp);
}
