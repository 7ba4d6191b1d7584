import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CHROMIUM_LAUNCH } from './chromium.ts';
import { HOST_MAP, PORT, WORK_DIR, writeHostMap } from './e2eEnv.ts';

writeHostMap();
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: join(WORK_DIR, 'results'),
  globalSetup: './globalSetup.ts',
  use: {
    baseURL,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    command: `node apps/cli/dist/hoplens.js start --port ${PORT} --db ${join(WORK_DIR, 'e2e.db')} --no-demo --hosts ${HOST_MAP}`,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    url: `${baseURL}/api/info`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
