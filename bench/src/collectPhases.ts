import { spawnSync } from 'node:child_process';

/** One mark of `hoplens collect` run with HOPLENS_COLLECT_TIMES=1 (see apps/cli/src/commandTimes.ts). */
export interface CollectPhase {
  readonly what: string;
  /** ms since the process started */
  readonly at: number;
  /** the process's CPU time then, in ms (not for the helper's marks, taken as the main thread saw them) */
  readonly cpuMs?: number;
  /** the process's minor page faults then (with cpuMs): first touches of memory, ~25 µs each in a VM */
  readonly faults?: number;
}

const MARK = /^hoplens times: ([\d.]+) ms(?:, CPU ([\d.]+) ms)?(?:, (\d+) page faults)?: (.+)$/gm;

/** Runs a `collect` argv once with its phase times asked for, and reads them from its stderr. */
export function collectPhases(argv: readonly string[]): CollectPhase[] {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, HOPLENS_COLLECT_TIMES: '1' },
  });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return [...r.stderr.matchAll(MARK)].map((m) => ({
    what: m[4]!,
    at: Number(m[1]),
    ...(m[2] === undefined ? {} : { cpuMs: Number(m[2]) }),
    ...(m[3] === undefined ? {} : { faults: Number(m[3]) }),
  }));
}

/** The marks as one line: "12.3 node bootstrapped · 40.1 (CPU 35.2, 3700 faults) collect loaded · …" (ms). */
export function phasesLine(phases: readonly CollectPhase[]): string {
  return phases
    .map((p) => {
      const faults = p.faults === undefined ? '' : `, ${p.faults} faults`;
      return `${p.at.toFixed(1)}${p.cpuMs === undefined ? '' : ` (CPU ${p.cpuMs.toFixed(1)}${faults})`} ${p.what}`;
    })
    .join(' · ');
}
