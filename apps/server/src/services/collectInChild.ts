import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assetUrl } from '@hoplens/collector';
import { readSnapshot, type HostMap, type Snapshot } from '@hoplens/model';

/** Raised when a collection run fails as a whole (the child crashed or printed no snapshot). */
export class CollectError extends Error {
  override readonly name = 'CollectError';
}

const CHILD = fileURLToPath(assetUrl(import.meta.url, { source: './collectChild.ts', built: './collectChild.js' }));
/** From source, the child runs TypeScript: reuse the parent's tsx loader flags, or add tsx's. Built, plain Node. */
const LOADER = !CHILD.endsWith('.ts')
  ? []
  : process.execArgv.some((a) => a === 'tsx' || /[\\/]tsx[\\/]dist[\\/]/.test(a))
    ? process.execArgv
    : ['--import', 'tsx'];

/** The children collecting now, to kill when a run is stopped (killChildren). */
const running = new Set<ChildProcess>();
/** Those killed so: their collections fail as stopped, not as timed out. */
const stopped = new WeakSet<ChildProcess>();

/** Kills the children collecting now: their run will make no snapshot (collectWorker's stop). */
export function killChildren(): void {
  for (const child of running) {
    stopped.add(child);
    child.kill('SIGKILL');
  }
}

/**
 * Collects in a child process: spawning hundreds of `ip`/`tc` commands and parsing their output in
 * the server process would stall every request (DESIGN §7). The child (the built collectChild.js,
 * or from source with the tsx loader flags the server runs with) reads the host map on stdin and prints one snapshot on stdout.
 */
export function collectInChild(map: HostMap, source: string, timeoutMs = 120_000): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...LOADER, CHILD, source], { stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new CollectError(`cannot start collector: ${e.message}`)));
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (code !== 0) {
        const why = stopped.has(child)
          ? 'the run was stopped'
          : signal === 'SIGKILL'
            ? `timed out after ${timeoutMs} ms`
            : errorLine(Buffer.concat(err).toString('utf8'));
        reject(new CollectError(`collection failed: ${why ?? `exit ${code}`}`));
        return;
      }
      try {
        resolve(readSnapshot(JSON.parse(Buffer.concat(out).toString('utf8'))));
      } catch (e) {
        reject(new CollectError(`collector printed no valid snapshot: ${(e as Error).message}`));
      }
    });
    child.stdin.end(JSON.stringify(map));
  });
}

/** The line of a crashed child's stderr that says what went wrong (Node ends with its version). */
function errorLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^\w*Error\b|^Error:/.test(l)) ?? lines.find((l) => !l.startsWith('Node.js')) ?? lines[0];
}
