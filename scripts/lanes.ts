/**
 * Lanes: sequences of commands run one after the other, lanes side by side, each line of output
 * prefixed with its step's name. The steps are independent checks: a failing one does not stop the
 * next, so one run reports every failure. Used by `pnpm test:unit` (testLanes.ts) and `pnpm check`
 * (check.ts).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Step {
  /** Printed before every line of the step's output, and in the summary. */
  readonly name: string;
  readonly argv: readonly [string, ...string[]];
  readonly env?: Readonly<Record<string, string>>;
}

export interface StepResult {
  readonly name: string;
  /** 0 when it passed. */
  readonly code: number;
  readonly seconds: number;
}

const children = new Set<ReturnType<typeof spawn>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

function runStep(step: Step): Promise<StepResult> {
  const started = Date.now();
  const [command, ...args] = step.argv;
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...step.env },
  });
  children.add(child);
  const prefix = `[${step.name}] `;
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${prefix}${line}\n`));
  }
  return new Promise((resolve) => {
    const done = (code: number): void => {
      children.delete(child);
      resolve({ name: step.name, code, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (err) => {
      process.stderr.write(`${prefix}could not start ${command}: ${err.message}\n`);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal === null ? 1 : 128)));
  });
}

async function runLane(steps: readonly Step[]): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) results.push(await runStep(step));
  return results;
}

/** Runs the lanes side by side, prints a summary, and returns the first failing step's exit code (0 if none). */
export async function runLanes(lanes: readonly (readonly Step[])[]): Promise<number> {
  const results = (await Promise.all(lanes.map(runLane))).flat();
  for (const r of results) {
    process.stdout.write(
      `${r.name}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${r.seconds.toFixed(0)} s\n`,
    );
  }
  return results.find((r) => r.code !== 0)?.code ?? 0;
}

/** A vitest project run once, with the CLI already built by the caller. */
export function vitestStep(project: string, extra: readonly string[] = []): Step {
  return {
    name: project,
    argv: [process.execPath, 'node_modules/vitest/vitest.mjs', 'run', '--project', project, ...extra],
    // Two builds into one dist/ would race: the caller builds once, before the lanes start.
    env: { HOPLENS_TEST_CLI_BUILT: '1' },
  };
}
