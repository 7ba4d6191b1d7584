import { analyze, countBySeverity, type Analysis, type Snapshot, type SnapshotSummary } from '@hoplens/model';
import type { SnapshotStore } from '../store/snapshotStore.ts';

/** Snapshots never change, so their analysis can be cached by id; a small LRU bounds the memory. */
export class AnalysisCache {
  private readonly cache = new Map<string, Analysis>();

  constructor(
    private readonly store: SnapshotStore,
    private readonly capacity = 8,
  ) {}

  get(id: string): Analysis | undefined {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const snapshot = this.store.get(id);
    return snapshot ? this.remember(snapshot) : undefined;
  }

  /** The cached analysis, if any, without loading it or changing the order of eviction. */
  peek(id: string): Analysis | undefined {
    return this.cache.get(id);
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  /** Analyzes and stores a new snapshot; returns its summary. */
  add(snapshot: Snapshot): SnapshotSummary {
    const analysis = analyze(snapshot);
    const summary = summarize(snapshot, analysis);
    this.store.put(snapshot, summary);
    this.keep(snapshot.id, analysis);
    return summary;
  }

  private remember(snapshot: Snapshot): Analysis {
    return this.keep(snapshot.id, analyze(snapshot));
  }

  private keep(id: string, analysis: Analysis): Analysis {
    this.cache.set(id, analysis);
    while (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return analysis;
  }
}

export function summarize(snapshot: Snapshot, analysis: Analysis): SnapshotSummary {
  return {
    id: snapshot.id,
    createdAt: snapshot.createdAt,
    source: snapshot.source,
    hosts: snapshot.hosts.length,
    pods: snapshot.pods.length,
    findings: countBySeverity(analysis.findings),
  };
}
