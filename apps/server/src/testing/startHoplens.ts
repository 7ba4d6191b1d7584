import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (vitest's globalSetup and `pnpm build` make it): what a user and the image run. */
const CLI = fileURLToPath(new URL('../../../cli/dist/hoplens.js', import.meta.url));

/** A real `hoplens start` in its own process, for tests that kill it or run several. */
export interface HoplensProcess {
  readonly proc: ChildProcess;
  readonly url: string;
  /** `kill -9`: resolves once the process is gone. */
  kill9(): Promise<void>;
}

/** Starts `hoplens start --port 0 --no-demo …args` and resolves with its URL once it listens. */
export function startHoplens(args: readonly string[]): Promise<HoplensProcess> {
  const proc = spawn(process.execPath, [CLI, 'start', '--port', '0', '--no-demo', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr.on('data', (b: Buffer) => (err += b.toString()));
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /hoplens dashboard: (\S+)/.exec(out);
      if (m?.[1])
        resolve({
          proc,
          url: m[1],
          kill9: async () => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
            await exited;
          },
        });
    });
    proc.on('exit', (code) => reject(new Error(`hoplens start exited ${code}: ${err.slice(-500)}`)));
  });
}
