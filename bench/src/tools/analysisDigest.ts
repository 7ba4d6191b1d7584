import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchCluster } from '../benchCluster.ts';
import { buildGraph, runRules, SnapshotIndex } from '@hoplens/model';

/**
 * Graph + all rules on the model bench's synthetic cluster, written out whole (findings in their
 * order, graph nodes and edges) with a digest of each: run it before and after a speed change and
 * compare, to prove the change raised exactly the same findings and drew the same graph.
 *   node --import tsx bench/src/tools/analysisDigest.ts --nodes 5000 --out /tmp/after.json
 */
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '30' },
    out: { type: 'string' },
  },
});
const cluster = benchCluster(values.nodes, values.pods);
const cpu0 = process.cpuUsage();
let t = performance.now();
const index = new SnapshotIndex(cluster.snapshot);
const indexMs = performance.now() - t;
t = performance.now();
const graph = buildGraph(index);
const graphMs = performance.now() - t;
t = performance.now();
const findings = runRules(index);
const rulesMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);

const digest = (v: unknown): string => {
  const h = createHash('sha256');
  for (const e of Array.isArray(v) ? v : [v]) h.update(`${JSON.stringify(e)}\n`);
  return h.digest('hex').slice(0, 16);
};
const byRule: Record<string, number> = {};
for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
const summary = {
  nodes: Number(values.nodes),
  findings: findings.length,
  findingsDigest: digest(findings),
  graphNodes: graph.nodes.length,
  graphEdges: graph.edges.length,
  graphDigest: digest([...graph.nodes, ...graph.edges]),
  byRule,
  ms: { index: Math.round(indexMs), graph: Math.round(graphMs), rules: Math.round(rulesMs) },
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
};
if (values.out) {
  const lines = findings.map((f) => JSON.stringify(f));
  writeFileSync(values.out, `${lines.join('\n')}\n`);
}
process.stdout.write(`${JSON.stringify(summary, null, 1)}\n`);
