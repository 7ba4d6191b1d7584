import { netnsId } from '../ids.ts';
import type { NfCtState } from '../netfilter/nfPacket.ts';
import type { NetnsEntry } from '../topology/snapshotIndex.ts';
import type { IpPacket } from './packet.ts';

/**
 * Each namespace's connection tracking over one trace: the request creates an entry where it is
 * tracked, and its reply finds it there (ESTABLISHED) or not (an echo reply nobody asked for is
 * INVALID). Shared by a trace's request and reply walks.
 */
export class Conntrack {
  private readonly entries = new Set<string>();
  /** How often the table was asked or changed: a walk that left it unchanged did not depend on it. */
  uses = 0;

  /** The state conntrack gives a packet entering a namespace's stack. */
  stateOf(ns: NetnsEntry, pkt: IpPacket): NfCtState {
    this.uses++;
    const l4 = pkt.l4;
    // Neighbour discovery is never tracked (nf_conntrack_icmpv6: noct_valid_new).
    if (l4.proto === 'nd') return 'untracked';
    if (this.entries.has(key(ns, pkt, true))) return 'established';
    // Only an echo request may open an ICMP connection; an unsolicited reply is INVALID.
    if (l4.proto === 'icmp') return l4.type === 'echo-request' ? 'new' : 'invalid';
    return 'new';
  }

  /** The packet passed conntrack in this namespace (not NOTRACKed): its reply will be ESTABLISHED. */
  track(ns: NetnsEntry, pkt: IpPacket): void {
    this.uses++;
    if (pkt.l4.proto !== 'nd') this.entries.add(key(ns, pkt, false));
  }
}

function key(ns: NetnsEntry, pkt: IpPacket, reply: boolean): string {
  const l4 = pkt.l4;
  const ports = l4.proto === 'udp' || l4.proto === 'tcp' ? [l4.sport ?? '?', l4.dport] : [];
  const [a, b] = reply ? [pkt.dst, pkt.src] : [pkt.src, pkt.dst];
  const [pa, pb] = reply ? [ports[1], ports[0]] : [ports[0], ports[1]];
  return `${netnsId(ns.ref)}|${l4.proto}|${a ?? ''}|${pa ?? ''}|${b ?? ''}|${pb ?? ''}`;
}
