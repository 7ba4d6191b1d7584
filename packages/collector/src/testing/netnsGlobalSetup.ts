import { fileURLToPath } from 'node:url';
import { announceNetnsSkips, netnsSuites } from './requireNetns.ts';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** Vitest global setup: names the netns suites a non-root run skips, and fails a CI run that would. */
export default function setup(): void {
  announceNetnsSkips(netnsSuites(ROOT, ['packages', 'apps', 'bench']), process.env);
}
