import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/** Every VXLAN device of the snapshot: a few per host, where the snapshot has 10⁵ interfaces. */
export function vxlanLinks(index: SnapshotIndex): readonly LinkEntry[] {
  return index.derive(collectVxlans);
}

const collectVxlans = (index: SnapshotIndex): LinkEntry[] => index.links.filter((le) => le.link.vxlan !== undefined);
