import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Packet } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { arpReply } from './arp.ts';
import { ipReceive } from './ipReceive.ts';

/**
 * A frame a device accepted goes up to its protocol (`deliver_skb` by ethertype): ARP to
 * `arp_process`, IP to `ip_rcv`.
 */
export function deliverUp(w: Walk, le: LinkEntry, pkt: Packet): Outcome {
  return pkt.kind === 'ip' ? ipReceive(w, le, pkt) : arpReply(w, le, pkt);
}
