// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import typecheckPrograms from './scripts/typecheckPrograms.json' with { type: 'json' };

// The React hooks rules (the Rules of React the compiler checks too), every one an error: a warning
// nobody reads is a dependency list nobody checks.
const hooks = reactHooks.configs.flat.recommended;
const hooksRules = Object.fromEntries(Object.keys(hooks.rules).map((rule) => [rule, 'error']));

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'eslint.config.js',
      '**/dist/**',
      '**/node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'apps/web/dist/**',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // Type information from the four programs `pnpm typecheck` builds (scripts/typecheck.ts): one per
    // package would type the model eight times over (~5 GiB, twice the CPU).
    languageOptions: {
      parserOptions: {
        project: typecheckPrograms,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['apps/web/src/**/*.{ts,tsx}'], plugins: hooks.plugins, rules: hooksRules },
  // Asymmetric matchers (expect.any, expect.stringContaining) are typed `any` by design.
  { files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**'], rules: { '@typescript-eslint/no-unsafe-assignment': 'off' } },
  // Dependencies point down only (DESIGN §2). The model is pure: no IO, no node:*.
  {
    files: ['packages/model/src/**'],
    ignores: ['**/*.test.*', '**/testing/**'],
    rules: restrict(
      ['node:*', '@hoplens/*', 'fs', 'child_process'],
      'packages/model is pure: no IO and nothing of ours',
    ),
  },
  {
    files: ['packages/collector/src/**'],
    ignores: ['**/*.test.*', '**/testing/**'],
    rules: restrict(
      ['@hoplens/lab', '@hoplens/server', '@hoplens/web', '@hoplens/cli'],
      'collector may import only the model',
    ),
  },
  {
    files: ['packages/lab/src/**'],
    ignores: ['**/*.test.*', '**/testing/**'],
    rules: restrict(['@hoplens/server', '@hoplens/web', '@hoplens/cli'], 'lab may import only collector and model'),
  },
  {
    files: ['apps/server/src/**'],
    ignores: ['**/*.test.*', '**/testing/**'],
    rules: restrict(['@hoplens/lab', '@hoplens/web', '@hoplens/cli'], 'server may import only model and collector'),
  },
  {
    files: ['apps/web/src/**'],
    ignores: ['**/*.test.*', '**/testing/**'],
    rules: restrict(
      ['node:*', '@hoplens/collector', '@hoplens/lab', '@hoplens/server', '@hoplens/cli'],
      'web may import only the model',
    ),
  },
);
