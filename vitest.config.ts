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
    // Netns suites skip for a non-root user: said once, with their list, before the run (and CI fails).
    globalSetup: ['packages/collector/src/testing/netnsGlobalSetup.ts'],
    // Netns tests build real namespaces and ping through them; give the kernel time on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
