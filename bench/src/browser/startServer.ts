import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `hoplens start` on loopback, serving the freshly built web app over a fresh database. */
export interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Builds the web app and the CLI (`pnpm build`), so the benchmark measures the code in this tree —
 * unless the caller built them already and says so (HOPLENS_TEST_CLI_BUILT=1, as `pnpm check` does
 * for its lanes): a second build into dist/ while the kernel lane runs the CLI from it would race.
 */
export function buildRepo(repo: string): void {
  if (process.env.HOPLENS_TEST_CLI_BUILT === '1') return;
  const r = spawnSync('pnpm', ['build'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`building the web app failed (exit ${r.status ?? r.signal})`);
}

export async function startServer(repo: string, port: number): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-browser-'));
  const child = spawn(
    process.execPath,
    [join(repo, 'apps/cli/dist/hoplens.js'), 'start', '--port', String(port), '--db', join(dir, 'b.db'), '--no-demo'],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/api/info`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`hoplens start did not answer on ${url}`);
}
