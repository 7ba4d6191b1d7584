import type { FindingsEvent, SnapshotSummary } from '@hoplens/model';

/** What GET /api/events streams: each snapshot stored, and the findings that appeared with it. */
export type ServerEvent =
  | { readonly name: 'snapshot'; readonly data: SnapshotSummary }
  | { readonly name: 'findings'; readonly data: FindingsEvent };

/** Who wants to hear of new snapshots: the dashboards open on /api/events. */
export class SnapshotEvents {
  private readonly listeners = new Set<(e: ServerEvent) => void>();

  /** Listens until the returned function is called. */
  subscribe(listener: (e: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
