import { UsageError } from './usageError.ts';

/**
 * What the system says of a path, an address or a file the user named (it does not exist, is a
 * directory, is not theirs, the port is taken, the name does not resolve): their input, told as
 * the system tells it, not an internal error of hoplens.
 */
const SYSTEM_REFUSALS = new Set([
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EACCES',
  'EPERM',
  'EEXIST',
  'EROFS',
  'ENOSPC',
  'ENAMETOOLONG',
  'ELOOP',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  // A --db file that is not SQLite, a --tls-cert or --tls-key that is not PEM.
  'SQLITE_NOTADB',
]);

/**
 * Whether an error a command ended with is the user's bad input (one line, exit 2) rather than an
 * internal error (exit 1): a usage error (by name, not class: the built `collect` is a bundle of its
 * own, with its own UsageError), an option parseArgs refused, or the system refusing what the user
 * named.
 */
export function badInput(e: unknown): boolean {
  if ((e as Error | undefined)?.name === UsageError.name) return true;
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return false;
  return code.startsWith('ERR_PARSE_ARGS') || code.startsWith('ERR_OSSL_') || SYSTEM_REFUSALS.has(code);
}
