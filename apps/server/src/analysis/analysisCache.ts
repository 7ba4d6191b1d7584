import {
  countBySeverity,
  findingKeys,
  type Analysis,
  type FindingRef,
  type Snapshot,
  type SnapshotSummary,
} from '@hoplens/model';

/**
 * Memory an analysis holds per byte of its snapshot's JSON: measured 4.3 for the snapshot, index,
 * graph and findings of synthetic clusters of 200 and 1,000 nodes; the views built on demand
 * (adjacency, overview, search) bring it to about 6.
 */
export const ANALYSIS_BYTES_PER_JSON_BYTE = 6;

/**
 * Analyses by snapshot id, least recently used first out once their estimated memory passes the
 * budget: a count would let a few huge snapshots exhaust the heap. The one just added always stays
 * (it is being used), even alone over the budget.
 */
const NONE: ReadonlySet<string> = new Set();

export class AnalysisCache {
  private readonly cache = new Map<string, { analysis: Analysis; bytes: number }>();
  private used = 0;

  constructor(readonly budgetBytes: number) {}

  get(id: string): Analysis | undefined {
    const hit = this.cache.get(id);
    if (!hit) return undefined;
    this.cache.delete(id);
    this.cache.set(id, hit);
    return hit.analysis;
  }

  /** The cached analysis, if any, without changing the order of eviction. */
  peek(id: string): Analysis | undefined {
    return this.cache.get(id)?.analysis;
  }

  /**
   * Evicts until `bytes` more fit: called before analysing, so the memory is free when it is needed.
   * Never what `keep` names: the other snapshots of the question being answered (a comparison needs
   * both; evicting the first to load the second answered "no snapshot" about one that exists).
   */
  makeRoom(bytes: number, keep: ReadonlySet<string> = NONE): void {
    for (const [id, e] of this.cache) {
      if (this.used + bytes <= this.budgetBytes) break;
      if (keep.has(id)) continue;
      this.cache.delete(id);
      this.used -= e.bytes;
    }
  }

  /** Keeps an analysis whose estimated size is `bytes` (evicting others, never those in `keep`). */
  add(id: string, analysis: Analysis, bytes: number, keep: ReadonlySet<string> = NONE): void {
    this.forget(id);
    this.makeRoom(bytes, keep);
    this.cache.set(id, { analysis, bytes });
    this.used += bytes;
  }

  forget(id: string): void {
    const e = this.cache.get(id);
    if (!e) return;
    this.cache.delete(id);
    this.used -= e.bytes;
  }

  /** Estimated bytes held. */
  get usedBytes(): number {
    return this.used;
  }

  get size(): number {
    return this.cache.size;
  }
}

/** What the snapshot list shows of a snapshot. */
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
