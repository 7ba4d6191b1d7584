import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * Where compiled code is kept between runs: `$XDG_CACHE_HOME/hoplens`, else `~/.cache/hoplens`;
 * undefined (no cache) when the environment names neither or the cache is disabled the way Node's
 * own compile cache is (NODE_DISABLE_COMPILE_CACHE).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'hoplens');
  if (env.HOME && isAbsolute(env.HOME)) return join(env.HOME, '.cache', 'hoplens');
  return undefined;
}

/**
 * Only a directory or file of this user that nobody else may write is trusted: V8 runs what a
 * cache holds as compiled code, and `sudo -E hoplens …` keeps the HOME of the user who typed it.
 */
function ownedPrivately(st: { uid: number; mode: number }): boolean {
  return st.uid === process.geteuid?.() && (st.mode & 0o022) === 0;
}

function usableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    return st.isDirectory() && ownedPrivately(st);
  } catch {
    return false; // a read-only home (the image), a file in the way: run without a cache
  }
}

function readPrivate(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    return st.isFile() && ownedPrivately(st) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Written beside, then renamed: two runs at once never leave a half-written cache. */
function writePrivate(file: string, data: Buffer): void {
  // Unique by process: 'wx' refuses a name that is there (the directory is this user's alone).
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

/** How many caches of one file are kept: a few builds or Node versions used side by side. */
const KEEP = 4;

/** Removes all but the KEEP newest caches of `name`: every build of hoplens writes its own. */
function prune(dir: string, name: string): void {
  try {
    const caches = readdirSync(dir)
      .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.v8'))
      .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of caches.slice(KEEP)) unlinkSync(old.path);
  } catch {
    // another run pruned at the same time
  }
}

/**
 * The name of `file`'s cache: the file as this filesystem knows it (device, inode, size, and its
 * modification and change times in nanoseconds) and the Node version. Writing the file, renaming
 * another over it or setting its times back all change one of these — the change time cannot be
 * set at all — so another build or install never reads this one's cache; reading the file's own
 * attributes instead of hashing its content spares every command loading node:crypto (~10 ms of
 * a `--version`). Python keys its bytecode caches the same way (mtime and size).
 */
export function cacheName(file: string, st = statSync(file, { bigint: true })): string {
  const id = [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].map((n) => n.toString(36)).join('-');
  return `${basename(file)}-${process.version}-${id}.v8`;
}

/**
 * Loads a CommonJS file compiled with V8's code cache: the first run compiles it as Node would and,
 * at exit, saves the code V8 compiled for it (functions that ran included); later runs start from
 * that instead of parsing and compiling again. The cache is named after the file (see cacheName)
 * and the Node version, so another build or Node never reads it; V8 refuses a cache that does not
 * fit (another V8, other flags, a damaged file) and the file is then compiled and the cache
 * rewritten. A cache that cannot be read or written changes nothing but the time taken. V8 flags set
 * at run time (v8.setFlagsFromString) must be set before this is called, or every run refuses the
 * cache. (Node 22's module.enableCompileCache does this for every module; Node 20, which hoplens
 * supports, has only vm.Script's cachedData, for scripts, hence a CommonJS file.)
 */
export function requireCached(file: string, dir: string | undefined = cacheDir()): unknown {
  // The attributes of the file read here: what is named is what was read.
  let fd: number | undefined;
  let bytes: Buffer;
  let name: string;
  try {
    fd = openSync(file, 'r');
    name = cacheName(file, fstatSync(fd, { bigint: true }));
    bytes = readFileSync(fd);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const source = bytes.toString('utf8');
  const cacheFile = dir === undefined ? undefined : join(dir, name);
  const cachedData = cacheFile === undefined ? undefined : readPrivate(cacheFile);
  const script = new Script(Module.wrap(source), {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true))
    process.once('beforeExit', () => {
      if (!usableDir(dirname(cacheFile))) return;
      writePrivate(cacheFile, script.createCachedData());
      prune(dirname(cacheFile), basename(file));
    });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}
