import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { netnsSuites } from './packages/collector/src/testing/requireNetns.ts';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const INCLUDE = [
  'packages/*/src/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'apps/*/src/**/*.test.{ts,tsx}',
  'apps/*/test/**/*.test.ts',
  'bench/src/**/*.test.ts',
];
/**
 * The suites that build namespaces and send traffic through the one kernel every test shares: they
 * run one at a time (two at once share device names, addresses and the tracepoints that carry no
 * namespace). Everything else is the `unit` project; `pnpm test:unit` runs the two side by side.
 */
const KERNEL = netnsSuites(ROOT, ['packages', 'apps', 'bench']);

export default defineConfig({
  test: {
    // Run once before any test file: the netns suites a non-root run skips are listed (CI fails
    // instead), and the tests that run the `hoplens` command get the CLI built afresh.
    globalSetup: ['packages/collector/src/testing/netnsGlobalSetup.ts', 'apps/cli/test/globalSetup.ts'],
    // Netns tests build real namespaces and ping through them; give the kernel time on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'kernel', include: KERNEL } },
      { extends: true, test: { name: 'unit', include: INCLUDE, exclude: [...configDefaults.exclude, ...KERNEL] } },
    ],
  },
});
