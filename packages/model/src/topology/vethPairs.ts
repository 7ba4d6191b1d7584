import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/** A veth pair, once, with both ends collected. */
export interface VethPair {
  readonly a: LinkEntry;
  readonly b: LinkEntry;
  /** Each end names the other: the usual case. A pair whose `b` names a third device is listed from both ends. */
  readonly mutual: boolean;
}

/** The veth pairs of a snapshot, and those whose ends disagree, found in one pass. */
export interface VethPairs {
  readonly pairs: readonly VethPair[];
  /** veths whose peer was not collected (its namespace was left out). */
  readonly orphans: readonly LinkEntry[];
  /** Pairs whose ends have different MTUs. */
  readonly mtuDiffers: readonly VethPair[];
  /** Pairs with one end administratively down: `a` is the one still up. */
  readonly halfDown: readonly VethPair[];
}

/**
 * The veth pairs of the snapshot, each once, with the ones whose ends disagree picked out on the
 * way: a snapshot of 5,000 nodes has 3.5·10⁵ veths, and a pass over them costs more than a rule.
 */
export function vethPairs(index: SnapshotIndex): VethPairs {
  return index.derive(pairUp);
}

function pairUp(index: SnapshotIndex): VethPairs {
  const pairs: VethPair[] = [];
  const orphans: LinkEntry[] = [];
  const mtuDiffers: VethPair[] = [];
  const halfDown: VethPair[] = [];
  for (const le of index.veths) {
    const peer = le.link.peer && index.link(le.link.peer);
    if (!peer) {
      orphans.push(le);
      continue;
    }
    // Each pair once, from its lower id; from both ends when the peer does not point back.
    // Read from the entry's parts: `le.ref` is made on first use, and 3.5·10⁵ veths need none.
    const back = peer.link.peer;
    const here = le.netns.ref;
    const pointsBack =
      back !== undefined && back.ifindex === le.link.ifindex && back.netns === here.netns && back.host === here.host;
    if (pointsBack && le.id > peer.id) continue;
    const pair = { a: le, b: peer, mutual: pointsBack };
    pairs.push(pair);
    if (le.link.mtu !== peer.link.mtu) mtuDiffers.push(pair);
    if (le.link.adminUp !== peer.link.adminUp) halfDown.push(le.link.adminUp ? pair : { ...pair, a: peer, b: le });
  }
  return { pairs, orphans, mtuDiffers, halfDown };
}
