// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', 'apps/web/dist/**', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Dependencies point down only (DESIGN §2). The model is pure: no IO, no node:*.
  { files: ['packages/model/**'], rules: restrict(['node:*', '@hoplens/*', 'fs', 'child_process'], 'packages/model is pure: no IO and nothing of ours') },
  { files: ['packages/collector/**'], rules: restrict(['@hoplens/lab', '@hoplens/server', '@hoplens/web', '@hoplens/cli'], 'collector may import only the model') },
  { files: ['packages/lab/**'], rules: restrict(['@hoplens/server', '@hoplens/web', '@hoplens/cli'], 'lab may import only collector and model') },
  { files: ['apps/server/**'], rules: restrict(['@hoplens/lab', '@hoplens/web', '@hoplens/cli'], 'server may import only model and collector') },
  { files: ['apps/web/**'], rules: restrict(['node:*', '@hoplens/collector', '@hoplens/lab', '@hoplens/server', '@hoplens/cli'], 'web may import only the model') },
);
