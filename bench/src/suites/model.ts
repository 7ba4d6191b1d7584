import { DEFAULT_ANALYSIS_LIMITS, semiSpaceMb } from '@hoplens/server';
import { progress, runWorker } from '../childRun.ts';
import type { Figure, SuiteResult } from '../figure.ts';
import { mib, ms } from '../stats.ts';

interface ModelRun {
  readonly nodes: number;
  readonly hosts: number;
  readonly pods: number;
  readonly graphNodes: number;
  readonly graphEdges: number;
  readonly injectedFaults: number;
  readonly faultsFound: number;
  readonly indexMs: number;
  readonly graphMs: number;
  readonly rulesMs: number;
  readonly analyzeMs: number;
  readonly analyzeCpuMs: number;
  /** Page faults during the analysis (pages touched for the first time); absent in older results. */
  readonly analyzeFaults?: number;
  /** The machine's 1-minute load average right after. */
  readonly analyzeLoad: number;
  /** CPU of each rule, by rule id, in the order they ran. */
  readonly ruleCpuMs: Record<string, number>;
  readonly peakRssBytes: number;
  readonly graphJsonBytes: number;
  readonly trace?: { count: number; p50Ms: number; p99Ms: number; maxMs: number; verdicts: Record<string, number> };
  readonly storage?: {
    putMs: number;
    getMs: number;
    getCpuMs: number;
    getLoad: number;
    /** Whether the stored row is marked as checked (storedMark.ts): then `get` checks the format, not the schema. */
    marked: boolean;
    validateMs: number;
    validateCpuMs: number;
    /** CPU of the same check as TypeBox compiles the closed schema, on the same snapshot right after. */
    validateTypeboxCpuMs: number;
    onDiskBytes: number;
    jsonBytes: number;
    roundTripOk: boolean;
  };
}

/** The rules that cost the most CPU, most first: where a speed-up of the rules should look. */
const topRules = (r: ModelRun, n: number): string =>
  Object.entries(r.ruleCpuMs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([id, cpu]) => `${id} ${Math.round(cpu)}`)
    .join(', ');

/** CPU time (this process's own work: wall time on a shared machine also waits for the others') and the load then. */
const cpuNote = (cpuMs: number, load: number): string =>
  `${ms(cpuMs / 1000)} s of CPU at a load average of ${ms(load)}`;

/** The fresh memory an analysis wrote (page faults × 4 KiB), which the machine line says the cost of. */
const faultNote = (faults: number | undefined): string =>
  faults === undefined ? '' : `, ${faults} page faults (${Math.round((faults * 4) / 1024)} MiB of memory touched anew)`;

/**
 * Graph + all rules at two cluster sizes, each in a fresh process (so peak RSS is its own), plus
 * traces and storage on the larger one. The growth ratio compares the two runs of this same run.
 */
export async function modelSuite(small: number, large: number, traces: number): Promise<SuiteResult> {
  progress(`model: ${small} nodes`);
  // Built as the server is (see builtWorker): under tsx the same analysis costs ~10% more CPU. With
  // --expose-gc the worker collects the generator's objects before it parses the snapshot it times;
  // its semi-spaces are those the server gives its analysis worker.
  const semi = `--max-semi-space-size=${semiSpaceMb(DEFAULT_ANALYSIS_LIMITS)}`;
  const opts = { built: true, nodeArgs: ['--expose-gc', semi] };
  const a = await runWorker<ModelRun>('modelWorker.ts', ['--nodes', String(small)], opts);
  progress(`model: ${large} nodes, ${traces} traces, storage`);
  const b = await runWorker<ModelRun>(
    'modelWorker.ts',
    ['--nodes', String(large), '--traces', String(traces), '--storage'],
    opts,
  );
  for (const r of [a, b]) {
    if (r.faultsFound !== r.injectedFaults)
      throw new Error(`model: ${r.nodes} nodes found ${r.faultsFound} of ${r.injectedFaults} injected faults`);
  }
  const size = (r: ModelRun): string =>
    `${r.hosts} hosts, ${r.pods} pods, ${r.graphNodes} graph nodes, ${r.graphEdges} edges`;
  const figures: Figure[] = [
    {
      id: `model.${large}.analyze`,
      group: 'model',
      label: `${large} nodes: graph + all rules`,
      value: ms(b.analyzeMs / 1000),
      unit: 's',
      goal: { op: '<', value: 3 },
      note: `index ${ms(b.indexMs)} ms, graph ${ms(b.graphMs)} ms, rules ${ms(b.rulesMs)} ms; ${cpuNote(b.analyzeCpuMs, b.analyzeLoad)}${faultNote(b.analyzeFaults)}; ${size(b)}`,
    },
    {
      id: `model.${large}.rulesCpu`,
      group: 'model',
      label: `${large} nodes: CPU of all rules`,
      value: ms(Object.values(b.ruleCpuMs).reduce((sum, cpu) => sum + cpu, 0) / 1000),
      unit: 's',
      note: `top 10 in ms: ${topRules(b, 10)}`,
    },
    {
      id: `model.${large}.peakRss`,
      group: 'model',
      label: `${large} nodes: peak RSS (incl. the generated snapshot)`,
      value: ms(b.peakRssBytes / 2 ** 30),
      unit: 'GiB',
      goal: { op: '<', value: 4 },
    },
    {
      id: `model.${large}.graphJson`,
      group: 'model',
      label: `${large} nodes: the whole graph as JSON`,
      value: mib(b.graphJsonBytes),
      unit: 'MiB',
      note: `${ms(b.graphJsonBytes / (b.graphNodes + b.graphEdges))} bytes per element`,
    },
    {
      id: `model.${small}.analyze`,
      group: 'model',
      label: `${small} nodes: graph + all rules`,
      value: ms(a.analyzeMs / 1000),
      unit: 's',
      note: size(a),
    },
    {
      id: `model.${small}.peakRss`,
      group: 'model',
      label: `${small} nodes: peak RSS`,
      value: ms(a.peakRssBytes / 2 ** 30),
      unit: 'GiB',
    },
    {
      id: 'model.growth',
      group: 'model',
      label: `time ratio ${large}/${small} nodes`,
      value: ms(b.analyzeMs / a.analyzeMs),
      unit: '×',
      goal: { op: '<=', value: 6 },
      note: `${ms(large / small)}× the nodes`,
    },
  ];
  if (b.trace) {
    figures.push(
      {
        id: 'trace.p50',
        group: 'trace',
        label: `${b.trace.count} random pod→pod traces on ${large} nodes: p50`,
        value: ms(b.trace.p50Ms),
        unit: 'ms',
      },
      {
        id: 'trace.p99',
        group: 'trace',
        label: `${b.trace.count} random pod→pod traces on ${large} nodes: p99`,
        value: ms(b.trace.p99Ms),
        unit: 'ms',
        goal: { op: '<', value: 20 },
        note: `max ${ms(b.trace.maxMs)} ms; verdicts ${JSON.stringify(b.trace.verdicts)}`,
      },
    );
  }
  if (b.storage) {
    if (!b.storage.roundTripOk) throw new Error('storage: the loaded snapshot differs from the stored one');
    figures.push(
      {
        id: 'storage.put',
        group: 'storage',
        label: `store the ${large}-node snapshot`,
        value: ms(b.storage.putMs / 1000),
        unit: 's',
      },
      {
        id: 'storage.get',
        group: 'storage',
        label: `load and validate it`,
        value: ms(b.storage.getMs / 1000),
        unit: 's',
        goal: { op: '<', value: 2 },
        note: `${cpuNote(b.storage.getCpuMs, b.storage.getLoad)}; ${
          b.storage.marked
            ? `row marked as checked when stored: its digest checked, not the schema (${ms(b.storage.validateMs / 1000)} s, measured apart below)`
            : `row not marked: inflate and parse ${ms((b.storage.getMs - b.storage.validateMs) / 1000)} s, validate ${ms(b.storage.validateMs / 1000)} s`
        }`,
      },
      {
        id: 'storage.validate',
        group: 'storage',
        label: b.storage.marked ? 'the schema check a marked row is spared' : 'of which the schema check',
        value: ms(b.storage.validateMs / 1000),
        unit: 's',
        note: `${ms(b.storage.validateCpuMs / 1000)} s of CPU; TypeBox's compiled check of the same closed schema right after, on the same snapshot: ${ms(b.storage.validateTypeboxCpuMs / 1000)} s of CPU (${ms(b.storage.validateTypeboxCpuMs / b.storage.validateCpuMs)}×)`,
      },
      {
        id: 'storage.onDisk',
        group: 'storage',
        label: 'size on disk (SQLite, gzip)',
        value: mib(b.storage.onDiskBytes),
        unit: 'MiB',
        note: `${mib(b.storage.jsonBytes)} MiB as JSON (${ms(b.storage.jsonBytes / b.storage.onDiskBytes)}× larger)`,
      },
    );
  }
  return { figures, details: { [small]: a, [large]: b } };
}
