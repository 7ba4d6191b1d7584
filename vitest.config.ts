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
    // Tests that run the `hoplens` command run the built CLI: build it first, every run.
    globalSetup: ['apps/cli/test/globalSetup.ts'],
    // Netns tests build real namespaces and ping through them; give the kernel time on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
