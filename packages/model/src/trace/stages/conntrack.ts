import type { NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * Connection tracking where a packet enters a namespace's IP layer (`nf_conntrack_in` at
 * PREROUTING or OUTPUT): a packet that opens a connection needs a new entry. Where the table is
 * full (this namespace's count at the global nf_conntrack_max) the kernel first tries to evict an
 * entry that is not assured (`early_drop`: an UNREPLIED one, as a tunnel's one-way UDP leaves by
 * the thousand) and drops the packet only when none is found ("table full, dropping packet",
 * NETFILTER_DROP). The snapshot counts entries but not their states, so the walk stops `unknown`,
 * naming both outcomes — a confident `dropped` would be wrong exactly where unreplied entries pile
 * up. Only where conntrack is seen working (entries counted); replies need no new entry.
 */
export function conntrackFull(w: Walk, ns: NetnsEntry, pkt: IpPacket): Outcome | undefined {
  if (pkt.ct !== 'new') return undefined;
  const count = ns.ns.sysctls?.conntrackCount;
  const max = ns.ns.sysctls?.conntrackMax;
  if (count === undefined || max === undefined || max <= 0 || count === 0 || count < max) return undefined;
  return w.stop({
    ns,
    component: 'conntrack',
    verdict: 'unknown',
    reason: `the conntrack table is full (${count} entries, nf_conntrack_max ${max}) and the states of its entries were not collected, which decide this new connection — an entry not assured (an unreplied one) to evict: it would be tracked; none: it would be dropped (NETFILTER_DROP)`,
  });
}
