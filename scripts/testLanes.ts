/**
 * `pnpm test:unit`: the two vitest projects (vitest.config.ts) side by side, each in its own
 * process with one worker. The `kernel` project (namespaces, real traffic) spends most of its time
 * waiting for the kernel; the `unit` project uses the core it leaves idle. Run together by one
 * vitest, the two would share a single worker on a 2-core machine (vitest's default is cores - 1)
 * and take their sum; here they take about the longer of the two. Output is prefixed per lane; the
 * exit code is the first failing lane's.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import globalSetup from '../apps/cli/test/globalSetup.ts';

const LANES = ['kernel', 'unit'] as const;

interface LaneResult {
  readonly lane: string;
  readonly code: number;
  readonly seconds: number;
}

function runLane(lane: string, extra: readonly string[]): Promise<LaneResult> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--project', lane, ...extra],
    // The CLI is built once below, before the lanes start: two builds into one dist/ would race.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOPLENS_TEST_CLI_BUILT: '1' } },
  );
  const prefix = `[${lane}] `;
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${prefix}${line}\n`));
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ lane, code: code ?? (signal === null ? 1 : 128), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

async function main(): Promise<number> {
  await globalSetup();
  // With file filters one lane may have none of the files asked for: that is not a failure.
  const filters = process.argv.slice(2);
  const extra = filters.length > 0 ? ['--passWithNoTests', ...filters] : [];
  const results = await Promise.all(LANES.map((lane) => runLane(lane, extra)));
  for (const r of results) {
    process.stdout.write(
      `lane ${r.lane}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${r.seconds.toFixed(0)} s\n`,
    );
  }
  return results.find((r) => r.code !== 0)?.code ?? 0;
}

process.exitCode = await main();
