import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { generateCluster } from '@hoplens/lab';
import { buildGraph, RULES, runRules, SnapshotIndex, type HostInventory, type Snapshot } from '@hoplens/model';

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

/** The generated snapshot written out as bytes and parsed back once the generator's objects are collected. */
function parsedCluster(): Snapshot {
  const serialized = ((): { head: string; hosts: Buffer[] } => {
    const { snapshot } = generateCluster({
      nodes: Number(values.nodes),
      podsPerNode: Number(values.pods),
      peerPodShare: 0.1,
      faults: 10,
      seed: 42,
    });
    const hosts = snapshot.hosts.map((h) => Buffer.from(JSON.stringify(h)));
    return { head: JSON.stringify({ ...snapshot, hosts: [] }), hosts };
  })();
  (globalThis as { gc?: () => void }).gc?.();
  return {
    ...(JSON.parse(serialized.head) as Snapshot),
    hosts: serialized.hosts.map((b) => JSON.parse(b.toString('utf8')) as HostInventory),
  };
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const digest = (v: readonly unknown[]): string => {
  const h = createHash('sha256');
  for (const e of v) h.update(`${JSON.stringify(e)}\n`);
  return h.digest('hex').slice(0, 16);
};

const snapshot = parsedCluster();
let cpu = cpuMs();
const index = new SnapshotIndex(snapshot);
const indexCpu = cpuMs() - cpu;
cpu = cpuMs();
buildGraph(index);
const graphCpu = cpuMs() - cpu;
const lines = [`${values.nodes} nodes: index ${indexCpu.toFixed(0)} ms, graph ${graphCpu.toFixed(0)} ms of CPU`];
for (let run = 1; run <= Number(values.runs); run++) {
  const costs: { id: string; cpu: number; wall: number }[] = [];
  let [c, w] = [cpuMs(), performance.now()];
  const findings = runRules(index, (done) => {
    const [c2, w2] = [cpuMs(), performance.now()];
    costs.push({ id: RULES[done - 1]!.id, cpu: c2 - c, wall: w2 - w });
    [c, w] = [c2, w2];
  });
  const total = costs.reduce((sum, r) => sum + r.cpu, 0);
  lines.push(
    `run ${run}: rules ${total.toFixed(0)} ms of CPU, ${findings.length} findings, digest ${digest(findings)}`,
  );
  for (const r of costs.sort((a, b) => b.cpu - a.cpu))
    lines.push(`  ${r.id.padEnd(32)} ${r.cpu.toFixed(0).padStart(6)} ms CPU ${r.wall.toFixed(0).padStart(6)} ms wall`);
}
process.stdout.write(`${lines.join('\n')}\n`);
