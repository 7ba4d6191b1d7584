import { resolve } from 'node:path';
import { UsageError } from './usageError.ts';

/**
 * What the system says of a path, an address or a port (it does not exist, is a directory, is not
 * theirs, the port is taken, the name does not resolve): the user's input where they named it on
 * the command line, an internal error where hoplens chose it (a file of its own that is missing).
 */
const SYSTEM_REFUSALS = new Set([
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENAMETOOLONG',
  'ELOOP',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
]);

interface SystemError {
  readonly code?: unknown;
  readonly path?: unknown;
  readonly dest?: unknown;
  readonly address?: unknown;
  readonly hostname?: unknown;
  readonly port?: unknown;
}

/** Whether the path, address or port a system error names is one of `args`. */
function namedBy(e: SystemError, args: readonly string[]): boolean {
  const paths = [e.path, e.dest].filter((v): v is string => typeof v === 'string');
  const hosts = [e.address, e.hostname].filter((v): v is string => typeof v === 'string');
  const port = typeof e.port === 'number' ? String(e.port) : undefined;
  return args.some(
    (a) =>
      paths.some((p) => a === p || resolve(a) === resolve(p)) ||
      hosts.some((h) => a === h || a.startsWith(`${h}:`)) ||
      (port !== undefined && (a === port || a.endsWith(`:${port}`))),
  );
}

/**
 * Whether an error a command ended with is the user's bad input (one line, exit 2) rather than an
 * internal error (exit 1): a usage error (by name, not class: the built `collect` is a bundle of its
 * own, with its own UsageError), an option parseArgs refused, a --db that is not SQLite or a PEM that
 * is not PEM (only ever files the user names), or the system refusing a path, address or port that
 * is one of `args`.
 */
export function badInput(e: unknown, args: readonly string[]): boolean {
  if ((e as Error | undefined)?.name === UsageError.name) return true;
  const err = (e ?? {}) as SystemError;
  const code = err.code;
  if (typeof code !== 'string') return false;
  if (code.startsWith('ERR_PARSE_ARGS') || code.startsWith('ERR_OSSL_') || code === 'SQLITE_NOTADB') return true;
  return SYSTEM_REFUSALS.has(code) && namedBy(err, args);
}
