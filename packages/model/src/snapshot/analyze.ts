import { buildGraph } from '../graph/buildGraph.ts';
import { RULES, runRules } from '../rules/runRules.ts';
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

/** A step of `analyze`, as it starts: the graph, then each rule (`done` of `total` run). */
export type AnalysisStep =
  { readonly stage: 'graph' } | { readonly stage: 'rules'; readonly done: number; readonly total: number };

/** Indexes, draws and checks a snapshot; `onStep` hears each step (a cold open's progress). */
export function analyze(snapshot: Snapshot, onStep?: (step: AnalysisStep) => void): Analysis {
  const index = new SnapshotIndex(snapshot);
  onStep?.({ stage: 'graph' });
  const graph = buildGraph(index);
  onStep?.({ stage: 'rules', done: 0, total: RULES.length });
  const findings = runRules(index, onStep && ((done, total) => onStep({ stage: 'rules', done, total })));
  return { index, graph, findings };
}
