import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How long the netlink helper may run before it is stopped. */
export const HELPER_TIMEOUT_MS = 30_000;

/**
 * The netlink helper, running on a list of namespace files: started by whoever reads its output, or
 * earlier (see startHelperEarly), before that reader was even loaded.
 */
export interface StartedHelper {
  readonly binary: string;
  readonly args: readonly string[];
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** A spawn failure, kept: the child says it once, maybe before its reader listens. */
  error?: Error;
  /** How it ended, kept for the same reason (a failed spawn closes at once). */
  closed?: { readonly code: number | null; readonly signal: NodeJS.Signals | null };
  /** When it was spawned, its output first read and its end seen (performance.now()): where a command's time goes. */
  readonly startedAt: number;
  firstOutputAt?: number;
  closedAt?: number;
  /** Whether a reader took it; one nobody took is stopped (see discardHelper). */
  taken: boolean;
  /** Hands its output to the reader: what came before it listened first, then each chunk as it comes. */
  readonly listen: (onStdout: (chunk: Buffer) => void, onStderr: (text: string) => void) => void;
}

/**
 * A stream's chunks, kept from the start until a listener comes. Node resumes a child's untouched
 * output once it has exited, dropping it: a helper done before its reader was loaded would
 * otherwise look as if it had answered nothing.
 */
function held<T>(stream: NodeJS.EventEmitter): (listener: (chunk: T) => void) => void {
  let to: ((chunk: T) => void) | T[] = [];
  stream.on('data', (chunk: T) => (Array.isArray(to) ? to.push(chunk) : to(chunk)));
  return (listener) => {
    const before = to as T[];
    to = listener;
    for (const chunk of before) listener(chunk);
  };
}

/** Starts the helper with its output piped; it is stopped after timeoutMs. */
export function startHelper(binary: string, args: readonly string[], timeoutMs = HELPER_TIMEOUT_MS): StartedHelper {
  const startedAt = performance.now();
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  const stdout = held<Buffer>(child.stdout);
  const stderr = held<string>(child.stderr.setEncoding('utf8'));
  const started: StartedHelper = {
    binary,
    args,
    child,
    startedAt,
    taken: false,
    listen: (onStdout, onStderr) => {
      stdout(onStdout);
      stderr(onStderr);
    },
  };
  child.on('error', (e) => (started.error ??= e));
  child.stdout.once('data', () => (started.firstOutputAt = performance.now()));
  child.on('close', (code, signal) => {
    started.closed = { code, signal };
    started.closedAt = performance.now();
  });
  return started;
}

/**
 * The helper started earlier when it runs exactly this binary on exactly these namespaces, taken by
 * the caller; otherwise undefined, and an earlier one that differs is stopped (its output would
 * answer another question).
 */
export function takeHelper(
  started: StartedHelper | undefined,
  binary: string,
  args: readonly string[],
): StartedHelper | undefined {
  if (!started || started.taken) return undefined;
  const same =
    started.binary === binary && started.args.length === args.length && started.args.every((a, i) => a === args[i]);
  if (!same) {
    discardHelper(started);
    return undefined;
  }
  started.taken = true;
  return started;
}

/** Stops a helper nobody took, so that it neither runs on nor keeps the process alive. */
export function discardHelper(started: StartedHelper | undefined): void {
  if (!started || started.taken) return;
  started.taken = true;
  started.child.kill();
}
