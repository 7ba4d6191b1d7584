import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';
import { pairKey } from './pairKey.ts';
import { tunnelPeer } from './tunnelPeer.ts';

/** Two ends of one tunnel that disagree, once per pair, with the end a fix should change. */
export interface TunnelDisagreement {
  readonly end: LinkEntry;
  readonly partner: LinkEntry;
  /** The end to change: the pod VM's, which follows the worker's; else the partner. */
  readonly fixAt: LinkEntry;
  readonly keep: LinkEntry;
}

/** Every tunnel whose ends disagree in the given way. */
export function mismatchedTunnels(
  index: SnapshotIndex,
  status: 'vni-mismatch' | 'port-mismatch',
): TunnelDisagreement[] {
  return index.derive(allMismatches).filter((d) => d.status === status);
}

function allMismatches(index: SnapshotIndex): (TunnelDisagreement & { status: string })[] {
  const out: (TunnelDisagreement & { status: string })[] = [];
  const seen = new Set<string>();
  for (const end of index.vxlans) {
    if (!end.link.vxlan) continue;
    const m = tunnelPeer(index, end);
    if (m.status !== 'vni-mismatch' && m.status !== 'port-mismatch') continue;
    const key = pairKey(end, m.partner);
    if (seen.has(key)) continue;
    seen.add(key);
    const endOnVm = end.netns.host.kind === 'pod-vm';
    const partnerOnVm = m.partner.netns.host.kind === 'pod-vm';
    const [fixAt, keep] = endOnVm && !partnerOnVm ? [end, m.partner] : [m.partner, end];
    out.push({ status: m.status, end, partner: m.partner, fixAt, keep });
  }
  return out;
}
