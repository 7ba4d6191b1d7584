import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../scripts/build.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Vitest runs this once before any test file: tests that run the `hoplens` command run the built
 * CLI, so it is built afresh from this tree (esbuild, under a second). The dashboard is built only
 * when missing (Vite, several seconds); `pnpm build` and the e2e run rebuild it.
 */
export default async function globalSetup(): Promise<void> {
  // scripts/testLanes.ts built both once before starting its vitest processes.
  if (process.env.HOPLENS_TEST_CLI_BUILT === '1') return;
  if (!existsSync(`${REPO}/apps/web/dist/index.html`)) {
    const r = spawnSync('pnpm', ['--filter', '@hoplens/web', 'build'], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`building the web app failed (exit ${r.status ?? r.signal})`);
  }
  await buildCli();
}
