import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assetUrl } from '../assetUrl.ts';

/** The C helpers in native/: the netlink dumper and the probe's packet capture. */
export type NativeHelper = 'nldump' | 'pcapture';

const NATIVE = assetUrl(import.meta.url, { source: '../../native/', built: './native/' });

const mtime = (path: string): number | undefined => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

const built = new Map<NativeHelper, Promise<string>>();

/**
 * A native helper, compiled from native/NAME.c on first use (or when the source is newer) with the
 * system's C compiler, which better-sqlite3 needs anyway. Rejects with the compiler's message when
 * it cannot be built.
 */
export function nativeHelper(name: NativeHelper): Promise<string> {
  let p = built.get(name);
  if (!p) {
    p = build(name).catch((e: unknown) => {
      built.delete(name);
      throw e;
    });
    built.set(name, p);
  }
  return p;
}

/** The netlink helper (native/nldump.c); callers collect with iproute2 when it cannot be built. */
export const helperBinary = (): Promise<string> => nativeHelper('nldump');

const sourceOf = (name: NativeHelper): string => fileURLToPath(new URL(`${name}.c`, NATIVE));
const binaryOf = (name: NativeHelper): string => fileURLToPath(new URL(`build/hoplens-${name}`, NATIVE));

/** A native helper's binary when it is built and not older than its source (nothing to compile). */
export function builtHelper(name: NativeHelper): string | undefined {
  const binary = binaryOf(name);
  const have = mtime(binary);
  return have !== undefined && have >= (mtime(sourceOf(name)) ?? 0) ? binary : undefined;
}

async function build(name: NativeHelper): Promise<string> {
  const source = sourceOf(name);
  const binary = binaryOf(name);
  if (builtHelper(name) !== undefined) return binary;
  mkdirSync(fileURLToPath(new URL('build/', NATIVE)), { recursive: true });
  const tmp = `${binary}.${process.pid}`;
  try {
    await promisify(execFile)(process.env.CC ?? 'cc', ['-O2', '-Wall', '-o', tmp, source], { timeout: 60_000 });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`cannot build the ${name} helper: ${err.stderr?.trim() || err.message}`, { cause: e });
  }
  renameSync(tmp, binary); // atomic: a concurrent build never runs a half-written file
  return binary;
}
