import type { SnapshotSummary } from '@hoplens/model';

/** Who wants to hear of new snapshots: the dashboards open on /api/events. */
export class SnapshotEvents {
  private readonly listeners = new Set<(s: SnapshotSummary) => void>();

  /** Listens until the returned function is called. */
  subscribe(listener: (s: SnapshotSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(summary: SnapshotSummary): void {
    for (const l of this.listeners) l(summary);
  }
}
