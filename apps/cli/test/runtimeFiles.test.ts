import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
} from 'node:fs';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canBuildNetns } from '@hoplens/collector/testing';
import { readDump, readSnapshot } from '@hoplens/model';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'runtime-files-token-0123456789';
const SERVER_UID = 10001; // deploy/server.yaml's runAsUser

/** Every file under dir, relative to it (symlinks not followed). */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? walk(path, base) : [relative(base, path)];
  });
}

/**
 * Runs a command from the runtime files the way the image would: in a private mount namespace
 * where the repository is an empty directory, the files are read-only, and the environment holds
 * no NODE_PATH, no NODE_OPTIONS and no compiler.
 */
function isolated(set: string, command: readonly string[]): ChildProcess {
  const script = [
    `mount -t tmpfs -o ro,size=4k tmpfs "${REPO}"`,
    `mount --bind "${set}" "${set}"`,
    `mount -o remount,bind,ro "${set}"`,
    'exec "$@"',
  ].join(' && ');
  return spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', ...command], {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: tmpdir(), CC: '/nonexistent/cc' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The first URL the process prints on stdout, and everything it printed on stderr. */
function urlOf(child: ChildProcess, stderr: string[]): Promise<string> {
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(https?:\/\/[^\s/]+)/.exec(out);
      if (m) resolvePromise(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening: ${stderr.join('')}`)));
  });
}

describe.skipIf(!canBuildNetns())('the runtime image’s files (deploy/runtime-files.sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-runtime-'));
  const set = join(dir, 'opt-hoplens');
  const children: ChildProcess[] = [];
  const hosts = join(dir, 'self.json');
  const tokenFile = join(dir, 'token');

  beforeAll(() => {
    chmodSync(dir, 0o755); // the server runs as another user
    const r = spawnSync('bash', [join(REPO, 'deploy/runtime-files.sh'), set], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    writeFileSync(hosts, JSON.stringify({ hosts: [{ name: 'self', kind: 'node', root: null, netns: [] }] }));
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  }, 120_000);
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the built CLI, the dashboard, the demo, better-sqlite3 and the compiled helper, and no sources', () => {
    const files = walk(set);
    for (const f of [
      'dist/hoplens.js',
      'dist/collectChild.js',
      'dist/analysisWorker.js',
      'dist/packWorker.js',
      'dist/web/index.html',
      'dist/native/build/hoplens-nldump',
      'dist/native/build/hoplens-pcapture',
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith('dist/demo/'))).toHaveLength(2);
    expect(files.filter((f) => /\.(ts|tsx|c|cc|h)$/.test(f) || f.endsWith('nldump.c'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([
      expect.stringMatching(/better-sqlite3\/build\/Release\/better_sqlite3\.node$/),
    ]);
    expect(readdirSync(join(set, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['better-sqlite3']);
    // pnpm links packages with symlinks: every one must stay inside the set.
    for (const f of files.filter((f) => lstatSync(join(set, f)).isSymbolicLink())) {
      const target = resolve(dirname(join(set, f)), readlinkSync(join(set, f)));
      expect(target.startsWith(`${set}/`), `${f} -> ${target}`).toBe(true);
    }
    // Nothing above the set that Node would search for packages.
    for (let d = dirname(set); d !== dirname(d); d = dirname(d))
      expect(existsSync(join(d, 'node_modules'))).toBe(false);
  });

  it('runs the agent with nothing else reachable: it serves this machine’s inventory, read by the shipped helper', async () => {
    const stderr: string[] = [];
    // As deploy/agent.yaml starts it.
    const agent = isolated(set, [
      'node',
      '--lite-mode',
      '--no-expose-wasm',
      join(set, 'dist/hoplens.js'),
      'agent',
      '--listen',
      '127.0.0.1:0',
      '--token-file',
      tokenFile,
      '--hosts',
      hosts,
    ]);
    children.push(agent);
    const url = await urlOf(agent, stderr);
    const res = await fetch(`${url}/v1/inventory`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const dump = readDump(await res.json());
    expect(dump.hosts[0]!.errors).toEqual([]);
    expect(dump.hosts[0]!.namespaces[0]!.links.some((l) => l.kind === 'loopback')).toBe(true);
    // The netlink backend ran: no fallback to iproute2 (which would mean the helper was missing).
    expect(stderr.join('')).not.toMatch(/netlink collection failed/);
    agent.kill('SIGTERM');
  });

  it('runs the server unprivileged from it: the dashboard, the seed demo, and a collection in its child process', async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    chownSync(data, SERVER_UID, SERVER_UID);
    const stderr: string[] = [];
    const server = isolated(set, [
      'setpriv',
      `--reuid=${SERVER_UID}`,
      `--regid=${SERVER_UID}`,
      '--clear-groups',
      'node',
      join(set, 'dist/hoplens.js'),
      'start',
      '--port',
      '0',
      '--db',
      join(data, 'hoplens.db'),
      '--hosts',
      hosts,
    ]);
    children.push(server);
    const url = await urlOf(server, stderr);
    const page = await fetch(`${url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<script type="module"[^>]*src="\/assets\//);
    const list = (await (await fetch(`${url}/api/snapshots`)).json()) as { source: string }[];
    expect(list.map((s) => s.source).sort()).toEqual(['seed demo (broken)', 'seed demo (fixed)']);
    const collected = await fetch(`${url}/api/collect`, { method: 'POST' });
    expect(collected.status, stderr.join('')).toBe(201);
    const { id } = (await collected.json()) as { id: string };
    const snapshot = readSnapshot(await (await fetch(`${url}/api/snapshots/${id}`)).json());
    expect(snapshot.hosts.map((h) => [h.name, h.errors])).toEqual([['self', []]]);
    // Unprivileged, nf_tables refuses to list: the firewall is a named gap (so a trace through it
    // is unknown), never an empty ruleset.
    const gaps = snapshot.hosts[0]?.namespaces[0]?.firewall?.gaps ?? [];
    expect(gaps.map((g) => [g.what, g.reason])).toContainEqual([
      'nftables',
      'dump 13 refused: Operation not permitted',
    ]);
    server.kill('SIGTERM');
  });
});
