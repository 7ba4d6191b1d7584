import type { FindingsEvent, PrepareEvent, SnapshotSummary } from '@hoplens/model';

/**
 * What GET /api/events streams: each snapshot stored, the findings that appeared with it, and how
 * the preparation of a snapshot read back from the store goes (a cold open).
 */
export type ServerEvent =
  | { readonly name: 'snapshot'; readonly data: SnapshotSummary }
  | { readonly name: 'findings'; readonly data: FindingsEvent }
  | { readonly name: 'prepare'; readonly data: PrepareEvent };

/** Who wants to hear of new snapshots: the dashboards open on /api/events. */
export class SnapshotEvents {
  private readonly listeners = new Set<(e: ServerEvent) => void>();
  /** Preparations under way, at their last step: a dashboard that connects meanwhile hears them first. */
  private readonly preparing = new Map<string, PrepareEvent>();

  /** Listens until the returned function is called; hears the preparations under way at once. */
  subscribe(listener: (e: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    for (const data of this.preparing.values()) listener({ name: 'prepare', data });
    return () => this.listeners.delete(listener);
  }

  emitPrepare(event: PrepareEvent): void {
    if (event.stage === 'ready' || event.stage === 'failed') this.preparing.delete(event.snapshot);
    else this.preparing.set(event.snapshot, event);
    this.send({ name: 'prepare', data: event });
  }

  emit(summary: SnapshotSummary): void {
    this.send({ name: 'snapshot', data: summary });
  }

  emitFindings(event: FindingsEvent): void {
    this.send({ name: 'findings', data: event });
  }

  private send(e: ServerEvent): void {
    for (const l of this.listeners) l(e);
  }
}
