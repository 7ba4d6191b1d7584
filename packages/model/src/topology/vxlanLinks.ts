import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/** Every VXLAN device of the snapshot: a few per host, where the snapshot has 10⁵ interfaces. */
export const vxlanLinks = (index: SnapshotIndex): readonly LinkEntry[] => index.vxlans;
