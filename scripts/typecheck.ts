/**
 * `pnpm typecheck`: the repo's TypeScript as four programs, two at a time. Each package's own
 * tsconfig (what editors and `pnpm --filter X typecheck` use) checks the model and every package it
 * imports again: eight programs took ~210 s of CPU, these four ~120 s. Every tracked .ts/.tsx file
 * must be in one of them — a new folder outside them fails here instead of going unchecked.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLanes, type Step } from './lanes.ts';
import programs from './typecheckPrograms.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The programs, by tsconfig: the Node side, the pure model, the e2e specs and bench, the dashboard.
 * A JSON file, so that eslint.config.js takes its type information from the same list.
 */
export const PROGRAMS: readonly string[] = programs;

/** Steps running `tsc` on each program, at a lower CPU priority when `nice` is given. */
export function typecheckSteps(nice?: number): Step[] {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  return PROGRAMS.map((p) => {
    const run = [process.execPath, tsc, '-p', join(ROOT, p)] as const;
    return { name: `typecheck ${p}`, argv: nice === undefined ? run : ['nice', '-n', String(nice), ...run] };
  });
}

/** Tracked TypeScript files no program includes (by the `include` folders and files of each tsconfig). */
export function uncheckedFiles(): string[] {
  const roots = PROGRAMS.flatMap((p) => {
    const config = JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as { include?: string[] };
    const base = dirname(p);
    // Relative to the repository, as `git ls-files` names files.
    return (config.include ?? []).map((i) => join(base, i.replace(/\/?\*\*\/\*\.ts$/, '')));
  });
  const tracked = execFileSync('git', ['ls-files', '*.ts', '*.tsx'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '');
  return tracked.filter((f) => !roots.some((r) => f === r || f.startsWith(`${r}/`)));
}

/** Prints the files no program checks; 1 when there are any. */
export function reportUnchecked(): number {
  const missing = uncheckedFiles();
  if (missing.length === 0) return 0;
  process.stderr.write(
    `typecheck: these files are in no program (add their folder to one of ${PROGRAMS.join(', ')}):\n  ${missing.join('\n  ')}\n`,
  );
  return 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const steps = typecheckSteps();
  const unchecked = reportUnchecked();
  const failed = await runLanes([steps.slice(0, 2), steps.slice(2)]);
  process.exitCode = unchecked || failed;
}
