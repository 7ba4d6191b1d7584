import { SnapshotLimitCount, type HostInventory } from '@hoplens/model';

/**
 * What one collection's answers may hold together (SNAPSHOT_LIMITS), counted as they arrive: a
 * source whose answer would pass a limit with those before it fails alone, as one past the
 * collection's byte budget does, instead of every source's answer being refused with it (413).
 * The answers that came first are kept: the source refused is the one that came when the room was
 * full. The hosts a failed source leaves are counted too.
 */
export class SnapshotRoom {
  private readonly count = new SnapshotLimitCount();

  /** Counts `hosts`, or throws why they do not fit beside those taken before (counting nothing of them). */
  take(hosts: readonly HostInventory[]): void {
    const over = this.count.addIfWithin({ hosts });
    if (over) throw new Error(`with this collection's other answers, ${over.message}`);
  }

  /** Counts hosts the snapshot holds whatever (a failed source's), where they fit. */
  add(hosts: readonly HostInventory[]): void {
    this.count.addIfWithin({ hosts });
  }
}
