import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGraph, readSnapshot, runRules, SnapshotIndex, type Snapshot } from '@hoplens/model';
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

/**
 * The same for snapshots whose graph is too big to keep line by line: every finding in full, the
 * graph as its size and a digest of its lines (bench/src/tools/analysisDigest.ts shows the lines).
 */
function analysisDigest(snapshot: Snapshot): string {
  const index = new SnapshotIndex(snapshot);
  const graph = buildGraph(index);
  const findings = runRules(index);
  const hash = createHash('sha256');
  for (const e of [...graph.nodes, ...graph.edges]) hash.update(`${JSON.stringify(e)}\n`);
  const head = `graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges, sha256 ${hash.digest('hex')}`;
  return [head, ...findings.map((f) => JSON.stringify(f))].join('\n') + '\n';
}

const FIXTURES = new URL('../../../model/fixtures/', import.meta.url);
const RECORDED = new Set(['seed-broken', 'seed-fixed', 'bridged-ok']);

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

  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.snapshot.json'))
    .map((f) => f.replace(/\.snapshot\.json$/, ''))
    .filter((name) => !RECORDED.has(name));
  it.each(fixtures)('gives the recorded findings and graph digest for the lab recording %s', async (name) => {
    const snapshot = readSnapshot(JSON.parse(readFileSync(new URL(`${name}.snapshot.json`, FIXTURES), 'utf8')));
    await expect(analysisDigest(snapshot)).toMatchFileSnapshot(`./__recorded__/${name}.digest.txt`);
  });

  it('gives the recorded findings and graph digest for a 200-node synthetic cluster', async () => {
    const { snapshot } = generateCluster({ nodes: 200, podsPerNode: 30, peerPodShare: 0.1, faults: 10, seed: 42 });
    await expect(analysisDigest(snapshot)).toMatchFileSnapshot('./__recorded__/synthetic-200.digest.txt');
  });
});
