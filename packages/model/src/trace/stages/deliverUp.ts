import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Packet } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { ipReceive } from './ipReceive.ts';

/**
 * A frame a device accepted goes up to its protocol (`deliver_skb` by ethertype): ARP is answered
 * by a namespace that holds the address asked for; IP goes to `ip_rcv`.
 */
export function deliverUp(w: Walk, le: LinkEntry, pkt: Packet): Outcome {
  if (pkt.kind === 'ip') return ipReceive(w, le, pkt);
  if (w.index.isLocal(le.netns, pkt.dst) && le.link.mac) return w.delivered(le.netns, pkt.src, le.link.mac);
  return w.end('dropped');
}
