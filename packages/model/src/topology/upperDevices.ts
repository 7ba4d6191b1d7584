import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/**
 * The devices stacked on each lower device — macvlan, ipvlan and vlan devices name their lower one
 * (`link.parent`), wherever they were moved since — found once per snapshot.
 */
export function upperDevices(index: SnapshotIndex, lower: LinkEntry): readonly LinkEntry[] {
  return index.derive(byLower).get(lower) ?? [];
}

/** The devices something is stacked on, in the snapshot's order (most clusters have none). */
export function lowerDevices(index: SnapshotIndex): readonly LinkEntry[] {
  return index.derive(withUppers);
}

function withUppers(index: SnapshotIndex): LinkEntry[] {
  const map = index.derive(byLower);
  return map.size === 0 ? [] : index.links.filter((le) => map.has(le));
}

function byLower(index: SnapshotIndex): Map<LinkEntry, LinkEntry[]> {
  const map = new Map<LinkEntry, LinkEntry[]>();
  // Only stacked devices name a lower one: a pass over them, not over every link.
  for (const le of index.stacked) {
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
