import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assetUrl } from '../assetUrl.ts';

const NATIVE = assetUrl(import.meta.url, { source: '../../native/', built: './native/' });
const SOURCE = fileURLToPath(new URL('nldump.c', NATIVE));
const BINARY = fileURLToPath(new URL('build/hoplens-nldump', NATIVE));

const mtime = (path: string): number | undefined => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

let built: Promise<string> | undefined;

/**
 * The netlink helper, compiled from native/nldump.c on first use (or when the source is newer)
 * with the system's C compiler, which better-sqlite3 needs anyway. Rejects with the compiler's
 * message when it cannot be built; callers then collect with iproute2.
 */
export function helperBinary(): Promise<string> {
  built ??= build().catch((e: unknown) => {
    built = undefined;
    throw e;
  });
  return built;
}

async function build(): Promise<string> {
  const binary = mtime(BINARY);
  if (binary !== undefined && binary >= (mtime(SOURCE) ?? 0)) return BINARY;
  mkdirSync(fileURLToPath(new URL('build/', NATIVE)), { recursive: true });
  const tmp = `${BINARY}.${process.pid}`;
  try {
    await promisify(execFile)(process.env.CC ?? 'cc', ['-O2', '-Wall', '-o', tmp, SOURCE], { timeout: 60_000 });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`cannot build the netlink helper: ${err.stderr?.trim() || err.message}`, { cause: e });
  }
  renameSync(tmp, BINARY); // atomic: a concurrent build never runs a half-written file
  return BINARY;
}
