import { describe, expect, it } from 'vitest';
import { buildGraph, runRules, SnapshotIndex, type Snapshot } from '@hoplens/model';
import { bridgedOk, seedBroken, seedFixed } from '@hoplens/model/testing';
import { generateCluster } from './generateCluster.ts';

/**
 * The graph and the findings, element by element in their order, one JSON line each: what a
 * speed-up of the index, the graph builder or a rule must leave exactly as it was. A change meant
 * to alter them (a new rule, a new edge) updates the recorded files with `vitest -u`.
 */
function analysisLines(snapshot: Snapshot): string {
  const index = new SnapshotIndex(snapshot);
  const graph = buildGraph(index);
  const findings = runRules(index);
  return [...graph.nodes, ...graph.edges, ...findings].map((e) => JSON.stringify(e)).join('\n') + '\n';
}

describe('analysis output', () => {
  const cases: [string, () => Snapshot][] = [
    ['seed-broken', seedBroken],
    ['seed-fixed', seedFixed],
    ['bridged-ok', bridgedOk],
    // Past the index's small-namespace threshold (a root with 20 neighbours), with peer pods and faults.
    ['synthetic', () => generateCluster({ nodes: 3, podsPerNode: 20, peerPodShare: 0.3, faults: 2, seed: 5 }).snapshot],
  ];
  for (const [name, snapshot] of cases) {
    it(`gives the recorded graph and findings for ${name}`, async () => {
      await expect(analysisLines(snapshot())).toMatchFileSnapshot(`./__recorded__/${name}.analysis.jsonl`);
    });
  }
});
