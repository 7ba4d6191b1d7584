import { createHash } from 'node:crypto';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cpuMs, parsedBenchCluster } from '../benchCluster.ts';
import { buildGraph, RULES, runRules, SnapshotIndex } from '@hoplens/model';

/**
 * What each rule costs at cluster scale, beside the digest of the findings they raise: the model
 * bench's synthetic cluster, parsed from JSON as the server holds it (see modelWorker), then the
 * index, the graph and all rules, each rule's CPU and wall time heard after it; `--runs` repeats the
 * rules over the same index (the first run is the cold one a user waits for). Built as the server is
 * (under tsx every closure pays for `__name()`):
 *   bench/node_modules/.bin/esbuild bench/src/tools/ruleCosts.ts --bundle --platform=node --format=esm \
 *     --outfile=/tmp/ruleCosts.mjs && node --expose-gc /tmp/ruleCosts.mjs --nodes 5000
 */
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '30' },
    runs: { type: 'string', default: '1' },
  },
});

const digest = (v: readonly unknown[]): string => {
  const h = createHash('sha256');
  for (const e of v) h.update(`${JSON.stringify(e)}\n`);
  return h.digest('hex').slice(0, 16);
};

/** Garbage collections, by when they started: each is charged to the rule whose window holds it. */
const collections: PerformanceEntry[] = [];
new PerformanceObserver((list) => collections.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
const gcIn = (from: number, to: number): number =>
  collections.reduce((sum, e) => (e.startTime >= from && e.startTime < to ? sum + e.duration : sum), 0);

const snapshot = parsedBenchCluster(values.nodes, values.pods);
let cpu = cpuMs();
const index = new SnapshotIndex(snapshot);
const indexCpu = cpuMs() - cpu;
cpu = cpuMs();
buildGraph(index);
const graphCpu = cpuMs() - cpu;
const lines = [`${values.nodes} nodes: index ${indexCpu.toFixed(0)} ms, graph ${graphCpu.toFixed(0)} ms of CPU`];
const runs: {
  run: number;
  costs: { id: string; cpu: number; from: number; to: number }[];
  findings: number;
  digest: string;
}[] = [];
for (let run = 1; run <= Number(values.runs); run++) {
  const costs: { id: string; cpu: number; from: number; to: number }[] = [];
  let [c, w] = [cpuMs(), performance.now()];
  const findings = runRules(index, (done) => {
    const [c2, w2] = [cpuMs(), performance.now()];
    costs.push({ id: RULES[done - 1]!.id, cpu: c2 - c, from: w, to: w2 });
    [c, w] = [c2, w2];
  });
  runs.push({ run, costs, findings: findings.length, digest: digest(findings) });
}
// The observer hears of collections only after this turn of the event loop, in a task of its own.
setTimeout(() => {
  for (const r of runs) {
    const total = r.costs.reduce((sum, x) => sum + x.cpu, 0);
    const gc = r.costs.reduce((sum, x) => sum + gcIn(x.from, x.to), 0);
    lines.push(
      `run ${r.run}: rules ${total.toFixed(0)} ms of CPU (${gc.toFixed(0)} ms in GC), ${r.findings} findings, digest ${r.digest}`,
    );
    for (const x of r.costs.sort((a, b) => b.cpu - a.cpu)) {
      const cols = [x.cpu, x.to - x.from, gcIn(x.from, x.to)].map((v) => v.toFixed(0).padStart(6));
      lines.push(`  ${x.id.padEnd(32)} ${cols[0]} ms CPU ${cols[1]} ms wall ${cols[2]} ms GC`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}, 100);
