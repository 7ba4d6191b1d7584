import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtWorker } from './builtWorker.ts';

/** How a worker runs: from its TypeScript under tsx, or bundled as the production build is (see builtWorker). */
export interface WorkerOptions {
  readonly built?: boolean;
  /** Node's own options for the worker (e.g. `--expose-gc`). */
  readonly nodeArgs?: readonly string[];
}

/**
 * Runs a worker script in its own Node process, so that peak memory is the worker's alone and a
 * crash cannot take the benchmark down. Progress goes to stderr; the result is the last stdout line.
 */
export async function runWorker<T>(script: string, args: readonly string[], opts: WorkerOptions = {}): Promise<T> {
  const nodeArgs = opts.nodeArgs ?? [];
  if (!opts.built)
    return runFile(
      fileURLToPath(new URL(`./workers/${script}`, import.meta.url)),
      [...nodeArgs, '--import', 'tsx'],
      args,
    );
  const file = await builtWorker(script);
  try {
    return await runFile<T>(file, nodeArgs, args);
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

function runFile<T>(file: string, nodeArgs: readonly string[], args: readonly string[]): Promise<T> {
  const script = file.replace(/.*\//, '');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, file, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${last.slice(0, 200)}`));
      }
    });
  });
}

/** Progress for people watching a long run (stderr, so results stay clean). */
export const progress = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

/** A worker that keeps running (a server): its first stdout line, and a way to stop it. */
export interface LiveWorker<T> {
  readonly ready: T;
  stop(): Promise<void>;
}

/** Starts a long-running worker and resolves once it prints its first JSON line. */
export function startWorker<T>(script: string, args: readonly string[]): Promise<LiveWorker<T>> {
  const file = fileURLToPath(new URL(`./workers/${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    const onData = (d: string): void => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.stdout.off('data', onData);
      try {
        const ready = JSON.parse(out.slice(0, nl)) as T;
        resolve({
          ready,
          stop: async () => {
            child.stdin.end();
            await exited;
          },
        });
      } catch {
        child.kill();
        reject(new Error(`${script} printed no result: ${out.slice(0, 200)}`));
      }
    };
    child.stdout.on('data', onData);
    child.on('error', reject);
    void exited.then(() => reject(new Error(`${script} exited before it was ready`)));
  });
}
