import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import base from './playwright.config.ts';
import { PORT } from './e2eEnv.ts';

/**
 * `pnpm screenshots`: the README's pictures, taken from a real server in Debian's Chromium with the
 * recorded seed and a synthetic 5,000-host snapshot. Not part of the tests.
 */
const port = PORT + 1;
const db = join(mkdtempSync(join(tmpdir(), 'hoplens-shots-')), 's.db');
export default defineConfig({
  testDir: './screenshots',
  workers: 1,
  timeout: 120_000,
  reporter: [['list']],
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}`, viewport: { width: 1440, height: 900 } },
  webServer: {
    command: `node apps/cli/dist/hoplens.js start --port ${port} --db ${db} --no-demo`,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    url: `http://127.0.0.1:${port}/api/info`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
