import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { builtWorker } from '../builtWorker.ts';

/**
 * Runs workers/phasesWorker.ts built as the server is (esbuild), passing Node options before `--`
 * and the worker's own after it:
 *   node --import tsx bench/src/tools/profileAnalysis.ts --cpu-prof --cpu-prof-dir=/tmp/p -- --cache /tmp/c.jsonl
 */
const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const nodeArgs = split < 0 ? [] : argv.slice(0, split);
const args = split < 0 ? argv : argv.slice(split + 1);
const file = await builtWorker('phasesWorker.ts');
try {
  const r = spawnSync(process.execPath, ['--expose-gc', ...nodeArgs, file, ...args], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dirname(file), { recursive: true, force: true });
}
