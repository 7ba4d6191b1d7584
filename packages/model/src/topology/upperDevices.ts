import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/**
 * The devices stacked on each lower device — macvlan, ipvlan and vlan devices name their lower one
 * (`link.parent`), wherever they were moved since — found once per snapshot.
 */
export function upperDevices(index: SnapshotIndex, lower: LinkEntry): readonly LinkEntry[] {
  return index.derive(byLower).get(lower) ?? [];
}

function byLower(index: SnapshotIndex): Map<LinkEntry, LinkEntry[]> {
  const map = new Map<LinkEntry, LinkEntry[]>();
  for (const le of index.links) {
    const lower = le.link.parent && index.link(le.link.parent);
    if (!lower) continue;
    const list = map.get(lower);
    if (list) list.push(le);
    else map.set(lower, [le]);
  }
  return map;
}

/** A macvlan's (or macvtap's) mode: bridge, private, vepa, passthru or source. */
export const macvlanMode = (le: LinkEntry): string | undefined =>
  le.link.kindData?.kind === 'macvlan' ? le.link.kindData.mode : undefined;

export const isMacvlan = (le: LinkEntry): boolean => le.link.kind === 'macvlan' || le.link.kind === 'macvtap';
