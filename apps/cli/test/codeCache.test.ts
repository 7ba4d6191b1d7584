import { execFile } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheName } from '../src/codeCache.ts';
import { labList } from '../src/labList.ts';

/** The built CLI (vitest's globalSetup builds it before every run). */
const MAIN = fileURLToPath(new URL('../dist/hoplens.js', import.meta.url));
const BROKEN = fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-broken.snapshot.json'));
const TRACE = ['trace', BROKEN, '--from', 'worker', '--to', '10.132.2.46', '--json'];

const root = mkdtempSync(join(tmpdir(), 'hoplens-code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the built CLI with only the given cache-related environment. */
function hoplens(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const caches = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.v8'));

describe('the code cache of findings, trace and collect', () => {
  it('is written to $XDG_CACHE_HOME/hoplens by the first run, private, and read as is by the next, which prints the same', async () => {
    const xdg = join(root, 'xdg');
    const first = await hoplens({ XDG_CACHE_HOME: xdg }, TRACE);
    expect(first.code, first.stderr).toBe(0);
    const dir = join(xdg, 'hoplens');
    const [name] = caches(dir);
    // Named after the file as the filesystem knows it and Node's version: another build or Node never reads it.
    expect(name).toBe(cacheName(fileURLToPath(new URL('../dist/quick.cjs', import.meta.url))));
    expect(name).toContain(`quick.cjs-${process.version}-`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, name!)).mode & 0o777).toBe(0o600);
    const written = statSync(join(dir, name!));
    const second = await hoplens({ XDG_CACHE_HOME: xdg }, TRACE);
    expect(second).toEqual(first);
    // Accepted by V8, so not written again.
    expect(statSync(join(dir, name!)).mtimeMs).toBe(written.mtimeMs);
    expect(caches(dir)).toEqual([name]);
  });

  it('of collect, which turns TurboFan off, fits the next run: written once, then read as is', async () => {
    const xdg = join(root, 'collect');
    const hosts = join(root, 'self.json');
    writeFileSync(hosts, JSON.stringify({ hosts: [{ name: 'self', kind: 'node', root: null, netns: [] }] }));
    const args = ['collect', '--hosts', hosts, '--out', join(root, 'self.snapshot.json')];
    const first = await hoplens({ XDG_CACHE_HOME: xdg }, args);
    expect(first.code, first.stderr).toBe(0);
    const dir = join(xdg, 'hoplens');
    const [name] = caches(dir);
    expect(name).toBe(cacheName(fileURLToPath(new URL('../dist/collect.cjs', import.meta.url))));
    const written = statSync(join(dir, name!)).mtimeMs;
    const second = await hoplens({ XDG_CACHE_HOME: xdg }, args);
    expect(second.code, second.stderr).toBe(0);
    expect(statSync(join(dir, name!)).mtimeMs).toBe(written);
  });

  it('that V8 refuses (damaged) changes nothing but the time: the run succeeds and writes a good one', async () => {
    const xdg = join(root, 'damaged');
    const good = await hoplens({ XDG_CACHE_HOME: xdg }, ['findings', BROKEN]);
    const dir = join(xdg, 'hoplens');
    const [name] = caches(dir);
    const file = join(dir, name!);
    writeFileSync(file, Buffer.from('not V8 code'));
    const again = await hoplens({ XDG_CACHE_HOME: xdg }, ['findings', BROKEN]);
    expect(again).toEqual(good);
    expect(readFileSync(file).length).toBeGreaterThan(100_000);
    // The rewritten cache is one V8 takes: the next run leaves it as is.
    const rewritten = statSync(file).mtimeMs;
    expect(await hoplens({ XDG_CACHE_HOME: xdg }, ['findings', BROKEN])).toEqual(good);
    expect(statSync(file).mtimeMs).toBe(rewritten);
  });

  it('is not read or written in a directory others may write to (sudo -E keeps the HOME of whoever typed it)', async () => {
    const dir = join(root, 'shared', 'hoplens');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const r = await hoplens({ XDG_CACHE_HOME: join(root, 'shared') }, ['findings', BROKEN]);
    expect(r.code, r.stderr).toBe(0);
    expect(caches(dir)).toEqual([]);
  });

  it('is skipped without failing where no cache can be: no HOME, a file in the way, NODE_DISABLE_COMPILE_CACHE', async () => {
    const blocked = join(root, 'blocked');
    writeFileSync(blocked, '');
    const disabled = join(root, 'disabled');
    for (const env of [
      {},
      { XDG_CACHE_HOME: blocked },
      { XDG_CACHE_HOME: disabled, NODE_DISABLE_COMPILE_CACHE: '1' },
    ]) {
      const r = await hoplens(env, ['findings', BROKEN]);
      expect(r.code, `${JSON.stringify(env)}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^FATAL mac-mismatch-across-tunnel/);
      expect(r.stderr).toBe('');
    }
    expect(() => readdirSync(disabled)).toThrow(/ENOENT/);
  });

  it('keeps the four newest caches of the file, as each build writes its own', async () => {
    const xdg = join(root, 'pruned');
    const dir = join(xdg, 'hoplens');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `quick.cjs-old${i}.v8`), 'x', { mode: 0o600 });
    writeFileSync(join(dir, 'other.v8'), 'x', { mode: 0o600 });
    const r = await hoplens({ XDG_CACHE_HOME: xdg }, ['findings', BROKEN]);
    expect(r.code, r.stderr).toBe(0);
    const left = caches(dir);
    expect(left.filter((f) => f.startsWith('quick.cjs-'))).toHaveLength(4);
    expect(left).toContain('other.v8');
    expect(left).toContain(cacheName(fileURLToPath(new URL('../dist/quick.cjs', import.meta.url))));
  });

  it('is named anew when the file is written again, even at the same length and with its times set back', () => {
    const file = join(root, 'same-length.cjs');
    writeFileSync(file, 'module.exports = 1;\n');
    const first = cacheName(file);
    const { atime, mtime } = statSync(file);
    // Past the filesystem's timestamp tick (the kernel's coarse clock, a few ms): a build rewrites a
    // file seconds apart, never within one tick.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
    writeFileSync(file, 'module.exports = 2;\n');
    utimesSync(file, atime, mtime);
    expect(Math.abs(statSync(file).mtimeMs - mtime.getTime())).toBeLessThan(1);
    expect(cacheName(file)).not.toBe(first);
    // Read again unchanged, the same name.
    expect(cacheName(file)).toBe(cacheName(file));
  });

  it('of lab is not even loaded by `lab list`, which prints the scenarios as the lab itself lists them', async () => {
    const xdg = join(root, 'lab-list');
    const listed = await hoplens({ XDG_CACHE_HOME: xdg }, ['lab', 'list']);
    expect(listed).toEqual({ code: 0, stdout: labList(), stderr: '' });
    expect(listed.stdout).toMatch(/^seed \[broken\|/m);
    expect(() => readdirSync(join(xdg, 'hoplens'))).toThrow(/ENOENT/);
    // Any other lab command loads it (and caches it).
    const coverage = await hoplens({ XDG_CACHE_HOME: xdg }, ['lab', 'coverage']);
    expect(coverage.code, coverage.stderr).toBe(0);
    expect(caches(join(xdg, 'hoplens'))).toEqual([
      cacheName(fileURLToPath(new URL('../dist/lab.cjs', import.meta.url))),
    ]);
    // Options after `list` go to the lab's own parser, which refuses what it does not know.
    const refused = await hoplens({ XDG_CACHE_HOME: xdg }, ['lab', 'list', '--bogus']);
    expect(refused.code).not.toBe(0);
  });
});
