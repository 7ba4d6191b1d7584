import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress } from '../childRun.ts';
import type { Figure, SuiteResult } from '../figure.ts';
import { median, ms } from '../stats.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The built CLI, as the `hoplens` bin, the image and the npm package run it. */
export const BUILT_CLI = join(repo, 'apps/cli/dist/hoplens.js');
const SEED = join(repo, 'packages/model/fixtures/seed-broken.snapshot.json');

/** Builds the CLI from this tree (esbuild, a few seconds), so the benchmark measures this code. */
export function buildCli(): void {
  const r = spawnSync('pnpm', ['--filter', 'hoplens', 'build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`building the CLI failed (exit ${r.status ?? r.signal})`);
}

/** Wall time of one whole process, start to exit, in ms; it must succeed. */
export function wallMs(argv: readonly string[]): number {
  const t = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 2 ** 20 });
  const elapsed = performance.now() - t;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.toString()}`);
  return elapsed;
}

const COMMANDS: readonly { key: string; label: string; args: string[] }[] = [
  { key: 'version', label: 'hoplens --version', args: ['--version'] },
  { key: 'labList', label: 'hoplens lab list', args: ['lab', 'list'] },
  { key: 'findings', label: 'hoplens findings (seed, 2 hosts)', args: ['findings', SEED] },
  {
    key: 'trace',
    label: 'hoplens trace (seed, 2 hosts)',
    args: ['trace', SEED, '--from', 'worker', '--to', '10.132.2.46'],
  },
];

/**
 * `findings` without the code cache the built CLI keeps in ~/.cache/hoplens (see codeCache.ts): what
 * a first run, or a home it cannot write, costs. The other commands run with the cache warm.
 */
const UNCACHED = {
  key: 'findingsUncached',
  label: 'hoplens findings (seed, 2 hosts) without its code cache',
  args: ['findings', SEED],
};

/**
 * Whole-process wall time of the built CLI's quick commands against `node -e 0`, in alternating
 * rounds of one run (each round runs every command once, in a rotating order), so the ratio
 * compares figures taken side by side on the same machine under the same load.
 */
export function cliSuite(rounds: number): Promise<SuiteResult> {
  buildCli();
  const cases = [{ key: 'node', label: 'node -e 0', argv: [process.execPath, '-e', '0'] }].concat(
    COMMANDS.map((c) => ({ key: c.key, label: c.label, argv: [process.execPath, BUILT_CLI, ...c.args] })),
    [
      {
        key: UNCACHED.key,
        label: UNCACHED.label,
        argv: ['env', 'NODE_DISABLE_COMPILE_CACHE=1', process.execPath, BUILT_CLI, ...UNCACHED.args],
      },
    ],
  );
  const samples = new Map<string, number[]>(cases.map((c) => [c.key, []]));
  for (const c of cases) wallMs(c.argv); // warm the page cache once
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + r) % cases.length]!;
      samples.get(c.key)!.push(wallMs(c.argv));
    }
    if ((r + 1) % 5 === 0) progress(`cli: round ${r + 1}/${rounds}`);
  }
  const node = median(samples.get('node')!);
  const figures: Figure[] = [
    {
      id: 'cli.node',
      group: 'cli',
      label: '`node -e 0`: median wall time',
      value: ms(node),
      unit: 'ms',
      note: `${rounds} alternating rounds; the floor every Node program pays`,
    },
  ];
  for (const c of [...COMMANDS, UNCACHED]) {
    const m = median(samples.get(c.key)!);
    figures.push(
      {
        id: `cli.${c.key}`,
        group: 'cli',
        label: `${c.label}: median wall time`,
        value: ms(m),
        unit: 'ms',
        ...(c === UNCACHED ? {} : { goal: { op: '<' as const, value: 300 } }),
        note: `${ms(m / node)} × \`node -e 0\`; p90 ${ms(sorted(samples.get(c.key)!)[Math.ceil(rounds * 0.9) - 1]!)} ms${c === UNCACHED ? '' : '; code cache warm'}`,
      },
      {
        id: `cli.${c.key}.ratio`,
        group: 'cli',
        label: `${c.label} ÷ \`node -e 0\``,
        value: ms(m / node),
        unit: '×',
      },
    );
  }
  return Promise.resolve({ figures, details: { rounds, samples: Object.fromEntries(samples) } });
}

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
