import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { Compile } from 'typebox/compile';
import { generateCluster, mulberry32, type SyntheticCluster } from '@hoplens/lab';
import {
  buildGraph,
  closedSchema,
  countBySeverity,
  readStoredSnapshot,
  RULES,
  runRules,
  SnapshotIndex,
  SnapshotSchema,
  trace,
  type HostInventory,
  type Snapshot,
} from '@hoplens/model';
import { SqliteStore } from '@hoplens/server';
import { progress } from '../childRun.ts';
import { percentile } from '../stats.ts';

/**
 * One cluster size in a fresh process: generate the synthetic snapshot and parse it from JSON as the
 * server would (not timed), then time the
 * index, the graph and every rule; peak RSS is read right after. Optionally random pod-to-pod
 * traces and a store/load round trip through the real SQLite store.
 */
const { values } = parseArgs({
  options: {
    nodes: { type: 'string' },
    pods: { type: 'string', default: '30' },
    traces: { type: 'string', default: '0' },
    storage: { type: 'boolean', default: false },
  },
});
const nodes = Number(values.nodes);
const podsPerNode = Number(values.pods);
const faults = 10;

let t = performance.now();
/**
 * The synthetic snapshot as the server holds it: parsed from JSON bytes (stored or imported), with
 * nothing else in the heap. The generator's template literals leave rope strings that the first hash
 * or comparison must flatten (~0.9 s more CPU in the index alone), and its objects (~0.8 GiB at
 * 5,000 nodes) made every major collection during the analysis mark about twice the server's live
 * data (1.24 s for one that landed in the rules). So each host is written out as bytes, the
 * generated objects are dropped and collected, and the bytes parsed (none of it timed). The bytes
 * are gzipped as the store keeps a host (~30 MB in all) and inflated one at a time as they are
 * parsed, as the store's read does: the server never holds the 368 MB of plain JSON, whose memory
 * the analysis would otherwise free in a major collection and fault back in.
 */
function serializedCluster(): { head: string; hosts: Buffer[]; pods: SyntheticCluster['pods'] } {
  const { snapshot: generated, pods } = generateCluster({ nodes, podsPerNode, peerPodShare: 0.1, faults, seed: 42 });
  const hosts = generated.hosts.map((h) => gzipSync(JSON.stringify(h)));
  return { head: JSON.stringify({ ...generated, hosts: [] }), hosts, pods };
}
/** The serialized snapshot parsed, once the generator's objects are gone (a collection forced between). */
function parsedCluster(): { snapshot: Snapshot; pods: SyntheticCluster['pods'] } {
  const { head, hosts, pods } = serializedCluster();
  // Started with --expose-gc (see modelSuite).
  (globalThis as { gc?: () => void }).gc?.();
  return {
    snapshot: {
      ...(JSON.parse(head) as Snapshot),
      hosts: hosts.map((b) => JSON.parse(gunzipSync(b).toString('utf8')) as HostInventory),
    },
    pods,
  };
}
const { snapshot, pods } = parsedCluster();
const generateMs = performance.now() - t;
progress(
  `${nodes} nodes: generated ${snapshot.hosts.length} hosts, ${snapshot.pods.length} pods in ${generateMs.toFixed(0)} ms`,
);
const rssBefore = process.memoryUsage().rss;

// CPU time beside wall time: on a shared machine wall time also counts the others' work.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let cpu = cpuMs();
// Page faults: each is a 4 KiB page touched for the first time, which a virtual machine may charge a lot for.
const faultsBefore = process.resourceUsage().minorPageFault;
t = performance.now();
const index = new SnapshotIndex(snapshot);
const indexMs = performance.now() - t;
t = performance.now();
const graph = buildGraph(index);
const graphMs = performance.now() - t;
t = performance.now();
// CPU per rule, heard after each rule: which rules the analysis's time goes to.
const ruleCpuMs: Record<string, number> = {};
let ruleCpu = cpuMs();
const findings = runRules(index, (done) => {
  const now = cpuMs();
  ruleCpuMs[RULES[done - 1]!.id] = now - ruleCpu;
  ruleCpu = now;
});
const rulesMs = performance.now() - t;
const analyzeCpuMs = cpuMs() - cpu;
const analyzeFaults = process.resourceUsage().minorPageFault - faultsBefore;
const analyzeLoad = loadavg()[0] ?? 0;
const peakRss = process.resourceUsage().maxRSS * 1024;
const found = findings.filter((f) => f.rule === 'mac-mismatch-across-tunnel').length;
progress(
  `${nodes} nodes: graph + rules in ${(indexMs + graphMs + rulesMs).toFixed(0)} ms, ${found}/${faults} faults found`,
);

const result: Record<string, unknown> = {
  nodes,
  podsPerNode,
  hosts: snapshot.hosts.length,
  pods: snapshot.pods.length,
  graphNodes: graph.nodes.length,
  graphEdges: graph.edges.length,
  findings: countBySeverity(findings),
  injectedFaults: faults,
  faultsFound: found,
  generateMs,
  indexMs,
  graphMs,
  rulesMs,
  analyzeMs: indexMs + graphMs + rulesMs,
  ruleCpuMs,
  analyzeCpuMs,
  analyzeFaults,
  analyzeLoad,
  rssBeforeBytes: rssBefore,
  peakRssBytes: peakRss,
  graphJsonBytes: jsonBytes(graph.nodes) + jsonBytes(graph.edges),
};

/** The graph's size as JSON, element by element: the whole would be one string of hundreds of MiB. */
function jsonBytes(elements: readonly object[]): number {
  let n = 0;
  for (const e of elements) n += Buffer.byteLength(JSON.stringify(e)) + 1;
  return n;
}

const traceCount = Number(values.traces);
if (traceCount > 0) {
  const rand = mulberry32(7);
  const pick = () => pods[Math.floor(rand() * pods.length)]!;
  const samples: number[] = [];
  const verdicts: Record<string, number> = {};
  for (let i = 0; i < traceCount; i++) {
    const [a, b] = [pick(), pick()];
    const start = performance.now();
    const r = trace(index, a.netns, b.ip);
    samples.push(performance.now() - start);
    verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
  }
  result.trace = {
    count: traceCount,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: Math.max(...samples),
    verdicts,
  };
  progress(`${nodes} nodes: ${traceCount} traces, p99 ${percentile(samples, 99).toFixed(2)} ms`);
}

if (values.storage) {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-'));
  try {
    const store = new SqliteStore(join(dir, 'bench.db'));
    const summary = {
      id: snapshot.id,
      createdAt: snapshot.createdAt,
      source: snapshot.source,
      hosts: snapshot.hosts.length,
      pods: snapshot.pods.length,
      findings: countBySeverity(findings),
    };
    t = performance.now();
    await store.put(snapshot, summary, []);
    const putMs = performance.now() - t;
    t = performance.now();
    cpu = cpuMs();
    const loaded = await store.get(snapshot.id);
    const getMs = performance.now() - t;
    const getCpuMs = cpuMs() - cpu;
    const getLoad = loadavg()[0] ?? 0;
    const marked =
      (
        await store.sql.all<{ m: number }>('SELECT checked IS NOT NULL AS m FROM snapshots WHERE id = ?', [snapshot.id])
      )[0]?.m === 1;
    // The schema check alone, on what was loaded (what get did after inflating and parsing, before rows were marked).
    t = performance.now();
    cpu = cpuMs();
    if (loaded) readStoredSnapshot(loaded);
    const validateMs = performance.now() - t;
    const validateCpuMs = cpuMs() - cpu;
    // Side by side: the same closed schema as TypeBox compiles it (a regular expression per key).
    const typebox = Compile(closedSchema(SnapshotSchema));
    cpu = cpuMs();
    const typeboxOk = typebox.Check(loaded);
    const validateTypeboxCpuMs = cpuMs() - cpu;
    await store.close();
    const onDisk = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    result.storage = {
      putMs,
      getMs,
      getCpuMs,
      getLoad,
      marked,
      validateMs,
      validateCpuMs,
      validateTypeboxCpuMs,
      onDiskBytes: onDisk,
      jsonBytes: Buffer.byteLength(JSON.stringify(snapshot)),
      roundTripOk: typeboxOk && isDeepStrictEqual(loaded, snapshot),
    };
    progress(`${nodes} nodes: stored in ${putMs.toFixed(0)} ms, loaded in ${getMs.toFixed(0)} ms, ${onDisk} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stdout.write(`${JSON.stringify(result)}\n`);
