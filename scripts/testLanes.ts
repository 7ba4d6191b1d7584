/**
 * `pnpm test:unit`: the two vitest projects (vitest.config.ts) side by side, each in its own
 * process with one worker. The `kernel` project (namespaces, real traffic) spends most of its time
 * waiting for the kernel; the `unit` project uses the core it leaves idle. Run together by one
 * vitest, the two would share a single worker on a 2-core machine (vitest's default is cores - 1)
 * and take their sum; here they take about the longer of the two. Output is prefixed per lane; the
 * exit code is the first failing lane's.
 */
import globalSetup from '../apps/cli/test/globalSetup.ts';
import { runLanes, vitestStep } from './lanes.ts';

await globalSetup();
// With file filters one lane may have none of the files asked for: that is not a failure.
const filters = process.argv.slice(2);
const extra = filters.length > 0 ? ['--passWithNoTests', ...filters] : [];
process.exitCode = await runLanes([[vitestStep('kernel', extra)], [vitestStep('unit', extra)]]);
