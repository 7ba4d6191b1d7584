/**
 * `pnpm check`, what CI proves: typecheck, lint, format, the unit and kernel tests and the e2e
 * specs. After one build, two lanes side by side, then the e2e specs in Chromium alone:
 *
 *   kernel:  the kernel project (namespaces, real traffic; mostly waiting for the kernel)
 *   other:   the unit project, then typecheck, lint and the format check at a lower CPU priority
 *
 * Run one after the other they took ~31 min on this 2-core machine, most of it the kernel lane
 * waiting on timeouts while a core sat idle. A third lane (the static checks apart) was measured
 * and let go: three CPU-hungry lanes on two cores made the kernel lane 1,412 s (its agreement suite
 * 876 s, against 603 s on a quiet machine), more than the static checks saved. Every step runs even
 * when another failed; the summary lists each step with its time, and the exit code is the first
 * failure's.
 */
import { spawnSync } from 'node:child_process';
import { runLanes, vitestStep, type Step } from './lanes.ts';
import { reportUnchecked, typecheckSteps } from './typecheck.ts';

// The dashboard and the CLI, once: the kernel tests run the built CLI and the e2e server serves
// the built dashboard, so nothing may rebuild dist/ while the lanes run.
const build = spawnSync('pnpm', ['build'], { stdio: 'inherit' });
if (build.status !== 0) {
  process.stderr.write(`check: the build failed (exit ${build.status ?? build.signal})\n`);
  process.exit(build.status ?? 1);
}

const pnpm = (name: string, ...args: string[]): Step => ({ name, argv: ['nice', '-n', '10', 'pnpm', '-s', ...args] });
const e2e: Step = { name: 'e2e', argv: ['pnpm', '-s', 'exec', 'playwright', 'test', '-c', 'e2e/playwright.config.ts'] };

// The e2e specs run alone afterwards: Chromium drawing a 5,000-host graph beside two CPU-hungry
// lanes makes every spec slower and stretches animation frames past 250 ms (which once let a
// permalink name a view the camera only passed through; the dashboard now waits for rest).
const first = await runLanes([
  [vitestStep('kernel')],
  [vitestStep('unit'), ...typecheckSteps(10), pnpm('lint', 'lint'), pnpm('format', 'format:check')],
]);
const second = await runLanes([[e2e]]);
process.exitCode = [first, reportUnchecked(), second].find((code) => code !== 0) ?? 0;
