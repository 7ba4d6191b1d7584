import { buildGraph } from '../graph/buildGraph.ts';
import { runRules } from '../rules/runRules.ts';
import type { Finding } from '../schema/finding.ts';
import type { Graph } from '../schema/graph.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';

/** Everything derived from one snapshot. Derived, never stored as truth. */
export interface Analysis {
  readonly index: SnapshotIndex;
  readonly graph: Graph;
  readonly findings: Finding[];
}

export function analyze(snapshot: Snapshot): Analysis {
  const index = new SnapshotIndex(snapshot);
  return { index, graph: buildGraph(index), findings: runRules(index) };
}
