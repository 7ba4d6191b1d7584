import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { name: string; version: string };

/**
 * `npm pack` of the CLI, installed with npm from the registry into an empty prefix, as
 * `npm i -g ./hoplens-x.y.z.tgz` would. Install scripts are skipped: better-sqlite3's would download
 * a prebuilt addon from GitHub (unreachable here) and else compile SQLite for a minute; the test
 * puts in the addon this workspace built for the same version and Node instead, where a user's
 * install would download it.
 */
describe('npm pack of the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-pack-'));
  const prefix = join(dir, 'prefix');
  const work = join(dir, 'work');
  // A clean environment: no NODE_PATH, no NODE_OPTIONS, a home of its own.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
  let tarball = '';
  let files: string[] = [];
  const hoplens = (...args: string[]) =>
    run(join(prefix, 'node_modules/.bin/hoplens'), args, { cwd: work, env, encoding: 'utf8' });

  beforeAll(async () => {
    mkdirSync(work);
    // Scripts skipped: vitest's globalSetup has just built dist/, which other tests are running.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: CLI,
      encoding: 'utf8',
    });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, info!.filename);
    files = info!.files.map((f) => f.path);
    await run(
      'npm',
      ['install', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev', tarball],
      // npm's own cache and config (the registry) stay the user's; nothing else of theirs is used.
      { cwd: work, timeout: 180_000 },
    );
    await addonFor(join(prefix, 'node_modules/better-sqlite3'), prefix);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is named hoplens and holds the built CLI, the dashboard and the demo, and no TypeScript', () => {
    expect(tarball).toMatch(new RegExp(`${pkg.name}-${pkg.version.replace(/\./g, '\\.')}\\.tgz$`));
    for (const f of [
      'dist/hoplens.js',
      'dist/collectChild.js',
      'dist/analysisWorker.js',
      'dist/packWorker.js',
      'dist/web/index.html',
      'dist/native/nldump.c',
      'dist/native/pcapture.c',
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith('dist/demo/'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.ts') || f.includes('native/build'))).toEqual([]);
  });

  it('installs from the registry with nothing of the workspace, only better-sqlite3 as a dependency', () => {
    const top = readdirSync(join(prefix, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(top).toContain('hoplens');
    expect(top.filter((n) => n.startsWith('@hoplens'))).toEqual([]);
  });

  it('runs as `hoplens` from an empty directory: version, findings on the demo it ships, the dashboard', async () => {
    expect((await hoplens('--version')).stdout).toBe(`${pkg.version}\n`);
    const demo = join(prefix, 'node_modules/hoplens/dist/demo/seed-broken.snapshot.json');
    const findings = JSON.parse((await hoplens('findings', demo, '--json')).stdout) as { rule: string }[];
    expect(findings[0]?.rule).toBe('mac-mismatch-across-tunnel');
    const server = spawn(
      join(prefix, 'node_modules/.bin/hoplens'),
      ['start', '--port', '0', '--db', join(dir, 'h.db')],
      {
        cwd: work,
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        server.on('exit', (code) => reject(new Error(`hoplens start exited ${code}`)));
      });
      expect(await (await fetch(`${url}/`)).text()).toMatch(/<script type="module"[^>]*src="\/assets\//);
      const list = (await (await fetch(`${url}/api/snapshots`)).json()) as unknown[];
      expect(list).toHaveLength(2);
    } finally {
      server.kill('SIGTERM');
    }
  });
});

/**
 * better-sqlite3's addon in an install made with --ignore-scripts: the one this workspace built when
 * the versions match, else compiled by npm (slow).
 */
async function addonFor(installed: string, prefix: string): Promise<void> {
  const require = createRequire(join(CLI, 'package.json'));
  const ours = dirname(require.resolve('better-sqlite3/package.json'));
  const version = (d: string) =>
    (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { version: string }).version;
  if (version(ours) === version(installed)) {
    mkdirSync(join(installed, 'build/Release'), { recursive: true });
    cpSync(join(ours, 'build/Release/better_sqlite3.node'), join(installed, 'build/Release/better_sqlite3.node'));
  } else {
    await run('npm', ['rebuild', 'better-sqlite3', '--prefix', prefix], { timeout: 300_000 });
  }
}
