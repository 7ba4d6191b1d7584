import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchCluster } from '../benchCluster.ts';
import { buildGraph, runRules, SnapshotIndex, type HostInventory, type Snapshot } from '@hoplens/model';

/**
 * One analysis of the model bench's synthetic cluster, phase by phase (index, graph, rules: wall and
 * CPU), with the digests of its findings and graph: what a speed change must leave identical. Run
 * through tools/profileAnalysis.ts, built as the server is, optionally under `--cpu-prof`. The
 * snapshot is parsed from JSON as the server holds it; `--cache FILE` keeps that JSON (one line per
 * host) between runs, so a profile does not pay for the generator each time.
 */
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '30' },
    cache: { type: 'string' },
    /** Stop after this phase: index, graph or rules. */
    until: { type: 'string', default: 'rules' },
    /** Leave out the digests (a profile of the phases alone). */
    'no-digest': { type: 'boolean', default: false },
    /** Analyse this many times in the one process: before/after comparisons on the same parsed snapshot. */
    repeat: { type: 'string', default: '1' },
  },
});

function snapshotLines(): string[] {
  if (values.cache && existsSync(values.cache)) return readFileSync(values.cache, 'utf8').split('\n');
  const { snapshot } = benchCluster(values.nodes, values.pods);
  const lines = [JSON.stringify({ ...snapshot, hosts: [] }), ...snapshot.hosts.map((h) => JSON.stringify(h))];
  if (values.cache) writeFileSync(values.cache, lines.join('\n'));
  return lines;
}

function parsed(): Snapshot {
  const lines = snapshotLines();
  const head = JSON.parse(lines[0]!) as Snapshot;
  return { ...head, hosts: lines.slice(1).map((l) => JSON.parse(l) as HostInventory) };
}

const snapshot = parsed();
// The JSON text is garbage now (started with --expose-gc, see profileAnalysis).
(globalThis as { gc?: () => void }).gc?.();
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const out: Record<string, unknown> = { hosts: snapshot.hosts.length, pods: snapshot.pods.length };
/** Each phase's wall and CPU time, one entry per run. */
const times: Record<string, number[]> = {};
const phase = <T>(name: string, run: () => T): T => {
  process.stderr.write(`phase ${name}\n`);
  const [t, c] = [performance.now(), cpuMs()];
  const r = run();
  (times[`${name}Ms`] ??= []).push(Math.round(performance.now() - t));
  (times[`${name}CpuMs`] ??= []).push(Math.round(cpuMs() - c));
  process.stderr.write(`phase ${name} done\n`);
  return r;
};
const digest = (v: readonly unknown[]): string => {
  const h = createHash('sha256');
  for (const e of v) h.update(`${JSON.stringify(e)}\n`);
  return h.digest('hex').slice(0, 16);
};

/** One analysis; the last of several runs (`--repeat`, each on a heap collected of the one before) is digested. */
function analysis(last: boolean): void {
  const index = phase('index', () => new SnapshotIndex(snapshot));
  if (values.until === 'index') return;
  const graph = phase('graph', () => buildGraph(index));
  out.graphNodes = graph.nodes.length;
  out.graphEdges = graph.edges.length;
  const digests = last && !values['no-digest'];
  if (values.until !== 'graph') {
    const findings = phase('rules', () => runRules(index));
    if (digests) out.findingsDigest = digest(findings);
  }
  if (digests) out.graphDigest = digest([...graph.nodes, ...graph.edges]);
}
const runs = Number(values.repeat);
for (let i = 0; i < runs; i++) {
  analysis(i === runs - 1);
  (globalThis as { gc?: () => void }).gc?.();
}
for (const [k, v] of Object.entries(times)) out[k] = runs === 1 ? v[0] : v;
out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify(out)}\n`);
