import {
  analyze,
  countBySeverity,
  findingKeys,
  type Analysis,
  type FindingRef,
  type Snapshot,
  type SnapshotSummary,
} from '@hoplens/model';
import type { SnapshotStore } from '../store/snapshotStore.ts';

/** Snapshots never change, so their analysis can be cached by id; a small LRU bounds the memory. */
export class AnalysisCache {
  private readonly cache = new Map<string, Analysis>();
  /** Loads in progress: two viewers of a snapshot not in memory share one load and one analysis. */
  private readonly loading = new Map<string, Promise<Analysis | undefined>>();

  constructor(
    private readonly store: SnapshotStore,
    private readonly capacity = 8,
  ) {}

  async get(id: string): Promise<Analysis | undefined> {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.store
        .get(id)
        .then((snapshot) => (snapshot ? this.keep(snapshot.id, analyze(snapshot)) : undefined))
        .finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** The cached analysis, if any, without loading it or changing the order of eviction. */
  peek(id: string): Analysis | undefined {
    return this.cache.get(id);
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  /**
   * Analyzes and stores a new snapshot with its findings (kept for the timeline); `stored` is false
   * when this very snapshot was stored already.
   */
  async add(snapshot: Snapshot): Promise<{ summary: SnapshotSummary; stored: boolean }> {
    const analysis = analyze(snapshot);
    const summary = summarize(snapshot, analysis);
    const stored = await this.store.put(snapshot, summary, findingRefs(analysis));
    this.keep(snapshot.id, analysis);
    return { summary, stored };
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

/** A snapshot's findings as history keeps them: by identity, once each. */
export function findingRefs(analysis: Analysis): FindingRef[] {
  return [...findingKeys(analysis)].map(([key, f]) => ({
    key,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    subjects: f.subjects,
  }));
}
