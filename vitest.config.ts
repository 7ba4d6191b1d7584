import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.{ts,tsx}',
      'apps/*/test/**/*.test.ts',
      'bench/src/**/*.test.ts',
    ],
    // Run once before any test file: the netns suites a non-root run skips are listed (CI fails
    // instead), and the tests that run the `hoplens` command get the CLI built afresh.
    globalSetup: ['packages/collector/src/testing/netnsGlobalSetup.ts', 'apps/cli/test/globalSetup.ts'],
    // Netns tests build real namespaces and ping through them; give the kernel time on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
