import type { NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * Connection tracking where a packet enters a namespace's IP layer (`nf_conntrack_in` at
 * PREROUTING or OUTPUT): a packet that opens a connection needs a new entry, and a full table
 * (this namespace's count at the global nf_conntrack_max) refuses it — the kernel logs "table full,
 * dropping packet" and the hook drops it (NETFILTER_DROP). Only where conntrack is seen working
 * (entries counted); replies of tracked connections need no entry.
 */
export function conntrackFull(w: Walk, ns: NetnsEntry, pkt: IpPacket): Outcome | undefined {
  if (pkt.ct !== 'new') return undefined;
  const count = ns.ns.sysctls?.conntrackCount;
  const max = ns.ns.sysctls?.conntrackMax;
  if (count === undefined || max === undefined || max <= 0 || count === 0 || count < max) return undefined;
  return w.stop({
    ns,
    component: 'conntrack',
    verdict: 'dropped',
    reason: `the conntrack table is full (${count} entries, nf_conntrack_max ${max}): a new connection gets no entry and is dropped, unless an unreplied one can be evicted`,
    dropReason: 'NETFILTER_DROP',
  });
}
