import { SNAPSHOT_LIMITS, SnapshotLimitCount, SnapshotLimitError, type HostInventory } from '@hoplens/model';

const tooLarge = (e: SnapshotLimitError): Error => new Error(`with this collection's other answers, ${e.message}`);

/**
 * What one collection's answers may hold together (SNAPSHOT_LIMITS), counted as they arrive: a
 * source whose answer would pass a limit with those before it fails alone, as one past the
 * collection's byte budget does, instead of every source's answer being refused with it (413).
 * The answers that came first are kept: the source refused is the one that came when the room was
 * full. Each source not yet settled has hosts kept for it (`reserved`: one an agent or a dump,
 * one a host of a local host map, one a node of node-agents once listed): what it leaves when it
 * fails, so that failed sources never push the snapshot past its limits either.
 */
export class SnapshotRoom {
  private readonly count = new SnapshotLimitCount();

  constructor(private reserved: number) {}

  /** Keeps `n` more hosts for sources to come (node-agents' nodes, once listed), or throws where they do not fit. */
  reserve(n: number): void {
    const total = this.count.hostCount + this.reserved + n;
    if (n > 0 && total > SNAPSHOT_LIMITS.hosts) throw tooLarge(new SnapshotLimitError('hosts', total));
    this.reserved += n;
  }

  /**
   * Counts a source's `hosts` in place of the `unit` hosts kept for it, or throws why they do not
   * fit beside those taken before (counting nothing of them: its failure then takes its unit).
   */
  take(hosts: readonly HostInventory[], unit: number): void {
    const total = this.count.hostCount + this.reserved - unit + hosts.length;
    if (total > SNAPSHOT_LIMITS.hosts) throw tooLarge(new SnapshotLimitError('hosts', total));
    const over = this.count.addIfWithin({ hosts });
    if (over) throw tooLarge(over);
    this.reserved -= unit;
  }

  /** Counts a failed source's hosts (no more than the `unit` kept for it, and no namespaces: they fit). */
  failed(hosts: readonly HostInventory[], unit: number): void {
    this.count.addIfWithin({ hosts });
    this.reserved -= unit;
  }
}
