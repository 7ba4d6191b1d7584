import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostMapSchema, printable, readDump, validate } from '@hoplens/model';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The built CLI (vitest's globalSetup builds it before every run), as `pnpm hoplens` and the npm package run it. */
const MAIN = fileURLToPath(new URL('../dist/hoplens.js', import.meta.url));
const BROKEN = fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-broken.snapshot.json'));
const FIXED = fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-fixed.snapshot.json'));

/** Runs the real, built `hoplens` command. */
function hoplens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('hoplens CLI', () => {
  it('prints its version, the one its package.json carries', async () => {
    const { code, stdout } = await hoplens('--version');
    expect(code).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it('findings --json prints {rule, severity, subjects, message, fix} for the seed fault', async () => {
    const { code, stdout } = await hoplens('findings', BROKEN, '--json');
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as Record<string, unknown>[];
    expect(list[0]).toEqual({
      rule: 'mac-mismatch-across-tunnel',
      severity: 'fatal',
      subjects: expect.any(Array),
      message: expect.stringContaining('7e:e5:f7:e6:f5:1a'),
      fix: expect.stringContaining('ip netns exec hl-seed-podns ip link set dev vxlan0 address 0a:58:0a:84:02:2e'),
    });
  });

  it('findings shows a netns name that erases its line as escaped text, the fix still shell-quoted', async () => {
    const hostile = 'x\r\u001b[2K    ip link del eth0 #';
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-cli-'));
    try {
      const file = join(dir, 'hostile.snapshot.json');
      writeFileSync(file, readFileSync(BROKEN, 'utf8').replaceAll('"hl-seed-podns"', JSON.stringify(hostile)));
      const { code, stdout } = await hoplens('findings', file);
      expect(code).toBe(0);
      // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
      expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      expect(stdout).toContain('x\\x0d\\x1b[2K    ip link del eth0 #');
      expect(stdout).toContain(`ip netns exec 'x\\x0d\\x1b[2K    ip link del eth0 #' ip link set dev vxlan0`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trace --json gives the verdict and hops with host, netns, interface, component, action, verdict, reason', async () => {
    const broken = JSON.parse(
      (await hoplens('trace', BROKEN, '--from', 'worker', '--to', '10.132.2.46', '--json')).stdout,
    ) as {
      verdict: string;
      hops: Record<string, unknown>[];
    };
    expect(broken.verdict).toBe('dropped');
    for (const key of ['host', 'netns', 'interface', 'component', 'action', 'verdict', 'reason'])
      expect(broken.hops[0]).toHaveProperty(key);
    const fixed = await hoplens('trace', FIXED, '--from', 'podvm/hl-seed-podns', '--to', '10.132.2.1', '--json');
    expect(JSON.parse(fixed.stdout)).toMatchObject({ verdict: 'delivered' });
  });

  it('trace --size --df walks a large packet that must not be fragmented', async () => {
    const bridged = fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/bridged-ok.snapshot.json'));
    const from = ['--from', 'node-a/hl-brdg-na-p3', '--to', '10.244.1.1'];
    const big = await hoplens('trace', bridged, ...from, '--size', '1472', '--df', '--json');
    expect(JSON.parse(big.stdout)).toMatchObject({ verdict: 'delivered' });
    // 1473 bytes of payload make a 1501-byte packet: more than eth0's MTU of 1500 with DF set.
    const tooBig = await hoplens('trace', bridged, ...from, '--size', '1473', '--df');
    expect(tooBig.stdout).toMatch(/1501-byte packet with Don't Fragment set exceeds the MTU 1500 of eth0/);
    expect(tooBig.stdout).toMatch(/verdict: dropped$/m);
  });

  it('trace says where the walk stops: a drop as dropped, where it cannot tell what the kernel does as that', async () => {
    const drop = await hoplens('trace', BROKEN, '--from', 'worker', '--to', '10.132.2.46');
    expect(drop.stdout).toMatch(/^dropped at hop \d+: podvm\/hl-seed-podns\/vxlan0 \(l2-receive\)$/m);
    // The pod VM's sysctls taken out of the recording: its rp_filter is not known, so the walk
    // stops there unknown, which is no drop.
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-cli-'));
    try {
      const snap = JSON.parse(readFileSync(BROKEN, 'utf8')) as {
        hosts: { name: string; namespaces: { name: string; sysctls?: unknown }[] }[];
      };
      const vm = snap.hosts.find((h) => h.name === 'podvm')!.namespaces.find((n) => n.name === 'hl-seed-vm')!;
      delete vm.sysctls;
      const file = join(dir, 'no-vm-sysctls.json');
      writeFileSync(file, JSON.stringify(snap));
      const unknown = await hoplens('trace', file, '--from', 'podvm/hl-seed-podns', '--to', '192.168.200.2');
      expect(unknown.stdout).toMatch(/^cannot tell at hop \d+: podvm\/hl-seed-vm\/ens4 \(routing\)$/m);
      expect(unknown.stdout).not.toMatch(/^dropped at/m);
      expect(unknown.stdout).toMatch(/verdict: unknown$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('dump writes this machine’s inventory as a file a server imports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-dump-'));
    try {
      const hosts = join(dir, 'self.json');
      writeFileSync(hosts, JSON.stringify({ hosts: [{ name: 'self', kind: 'other', root: null, netns: [] }] }));
      const out = join(dir, 'self.dump.json');
      const { code, stderr } = await hoplens('dump', '--hosts', hosts, '--out', out);
      expect(code, stderr).toBe(0);
      const dump = readDump(JSON.parse(readFileSync(out, 'utf8')));
      expect(dump.hosts[0]!.namespaces[0]!.links.some((l) => l.kind === 'loopback')).toBe(true);
      // The iproute2 backend by default: the command text travels with the dump for a support case.
      expect(dump.hosts[0]!.namespaces[0]!.raw.length).toBeGreaterThan(0);
      expect(statSync(out).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, unknown]>([
    ['no hosts', { hosts: [] }],
    [
      'a host name and a netns outside their patterns',
      { hosts: [{ name: '-x', kind: 'node', root: null, netns: ['../x'] }] },
    ],
    [
      'an unknown kind, a root with a slash, a relative netns file and an escaping socket',
      { hosts: [{ name: 'n', kind: 'vm', root: 'a/b', netns: [{ name: 'x', path: 'rel' }], ovsDbSocket: '/a/../b' }] },
    ],
    ['a list', [1]],
  ])('collect refuses a host map with %s, naming its problems as readConfig does', async (_what, map) => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-cli-'));
    try {
      const file = join(dir, 'hosts.json');
      writeFileSync(file, JSON.stringify(map));
      // The built `collect` checks its host map with the check compiled at build and loads the
      // schema library only to name a refused map's problems: the same words as validate's.
      let message = '';
      try {
        validate(HostMapSchema, map, 'host map', { once: true });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^invalid host map: /);
      const { code, stdout, stderr } = await hoplens('collect', '--hosts', file, '--out', join(dir, 'out.json'));
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`hoplens: ${printable(`${file}: ${message}`)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('start on a port that is taken says so and exits, instead of running on with nothing served', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-cli-'));
    try {
      const { port } = taken.address() as AddressInfo;
      const args = ['start', '--no-demo', '--port', String(port), '--db', join(dir, 'h.db')];
      const { code, stderr } = await new Promise<{ code: number | string; stderr: string }>((resolve) => {
        // Killed after 60 s: the process that hung on used to live until something killed it.
        execFile(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 60_000 }, (err, _out, stderr) =>
          resolve({ code: err ? (err.killed ? 'killed' : Number(err.code ?? 1)) : 0, stderr }),
        );
      });
      expect(code).toBe(2);
      expect(stderr).toBe(`hoplens: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a host map with two hosts of one name, before collecting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-cli-'));
    try {
      const map = join(dir, 'twice.json');
      const host = { name: 'w', kind: 'node', root: 'hl-nosuch-worker', netns: [] };
      writeFileSync(map, JSON.stringify({ hosts: [host, { ...host, root: 'hl-nosuch-vm' }] }));
      for (const command of ['collect', 'dump']) {
        const { code, stderr } = await hoplens(command, '--hosts', map, '--out', join(dir, 'out.json'));
        expect(code).toBe(2);
        expect(stderr).toBe(
          `hoplens: ${map}: invalid host map: /hosts/1/name "w" is also /hosts/0's: each host needs a name of its own\n`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a dump file as the snapshot a server would make of it: findings and trace work on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-cli-'));
    try {
      const { createdAt, hosts } = JSON.parse(readFileSync(BROKEN, 'utf8')) as { createdAt: string; hosts: unknown[] };
      const file = join(dir, 'broken.dump.json');
      writeFileSync(file, JSON.stringify({ kind: 'hoplens-dump', format: 1, createdAt, hosts }));
      const findings = await hoplens('findings', file);
      expect(findings.code).toBe(0);
      expect(findings.stdout).toContain('FATAL mac-mismatch-across-tunnel');
      const traced = await hoplens('trace', file, '--from', 'worker', '--to', '10.132.2.46');
      expect(traced.stdout).toContain('verdict: dropped');
      writeFileSync(file, JSON.stringify({ kind: 'hoplens-dump', format: 1, createdAt, hosts: [hosts[0], hosts[0]] }));
      const twice = await hoplens('findings', file);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain('invalid dump: /hosts/1/name');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collect names the namespace of each warning, and its snapshot says nothing was collected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-cli-'));
    try {
      const map = join(dir, 'gone.json');
      writeFileSync(
        map,
        JSON.stringify({ hosts: [{ name: 'w', kind: 'node', root: 'hl-gone-worker', netns: ['hl-gone-pod'] }] }),
      );
      const out = join(dir, 'gone.snapshot.json');
      const collected = await hoplens('collect', '--hosts', map, '--out', out);
      expect(collected.code).toBe(0);
      expect(collected.stderr.trim().split('\n').sort()).toEqual([
        'warning: w/hl-gone-pod: open namespace: No such file or directory',
        'warning: w/hl-gone-worker: open namespace: No such file or directory',
      ]);
      const { stdout } = await hoplens('findings', out);
      expect(stdout).toContain(
        'WARNING collection-incomplete: nothing was collected from w: open namespace: No such file or directory (namespace hl-gone-worker) and 1 more; every verdict about traffic through it is unknown, not passed',
      );
      expect(stdout).not.toContain('no findings');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops quietly when its reader closes the pipe early', async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const cmd = `"${process.execPath}" "${MAIN}" findings "${BROKEN}" | head -c 5`;
      execFile('sh', ['-c', cmd], { encoding: 'utf8' }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
    });
    expect(stdout).toBe('FATAL');
    expect(stderr).not.toMatch(/EPIPE|Error/);
  });

  it.each([
    [['trace', BROKEN, '--from', 'worker'], 'needs --from'],
    [['trace', BROKEN, '--from', 'mars', '--to', '10.0.0.1'], 'no host "mars"'],
    [['trace', BROKEN, '--from', 'worker', '--to', 'shop/web:80'], 'no kube-proxy Service rules were collected'],
    [['findings', '/nonexistent.json'], 'cannot read snapshot'],
    [['findings', MAIN], 'is not JSON'],
    [['trace', BROKEN, '--from', 'worker', '--to', '10.132.2.46', '--size', 'big'], '--size must be a number'],
    [['trace', BROKEN, '--from', 'worker', '--to', '10.132.2.46', '--size', '70000'], 'size must be an ICMP payload'],
    [['frobnicate'], 'unknown command'],
    [['agent', '--listen', '127.0.0.1:7099'], 'needs a token'],
    [['agent', '--listen', 'nowhere', '--token-file', MAIN], '--listen must be HOST:PORT'],
    [['start', '--hosts', MAIN, '--sources', MAIN], 'not both'],
    [
      ['start', '--port', '0', '--tls-cert', '/nonexistent.pem', '--tls-key', '/nonexistent.key'],
      'cannot read --tls-cert /nonexistent.pem: ENOENT',
    ],
    [
      ['agent', '--token-file', MAIN, '--tls-cert', MAIN, '--tls-key', '/nonexistent.key'],
      'cannot read --tls-key /nonexistent.key: ENOENT',
    ],
    [['start', '--port', '0', '--allowed-hosts', 'bad host!'], '--allowed-hosts'],
    [['start', '--no-demo', '--every', '5'], '--every: "5" is not a duration'],
    [['start', '--no-demo', '--every', '5s'], '--every must be at least 10s'],
    [['start', '--no-demo', '--keep', 'forever'], '--keep: "forever" is not a duration'],
    [['start', '--no-demo', '--keep-last', '0'], '--keep-last must be a whole number'],
    [['collect', '--hosts'], 'argument missing'],
    // Thrown inside the built `collect`, a bundle of its own with its own UsageError class.
    [['collect', '--hosts', MAIN, '--backend', 'ip'], '--backend is netlink or iproute2'],
    [['collect', '--hosts', MAIN], 'is not JSON'],
    [['lab', 'up', 'nosuch'], 'unknown scenario'],
    // A prefix without its trailing dash would name the namespaces of longer prefixes' labs too.
    [['lab', 'down', '--prefix', 'hl-wa1'], 'lab prefix must look like hl-xxxx-'],
    [['start', '--port', '1e3'], '--port must be 0-65535, got 1e3'],
    [['start', '--port', ' 7430'], '--port must be 0-65535'],
    // A snapshot whose source label its own schema refuses would be refused when read back.
    [['collect', '--hosts', MAIN, '--source', ''], '--source must be 1-200 characters, got 0'],
    [['collect', '--hosts', MAIN, '--source', 'x'.repeat(201)], '--source must be 1-200 characters, got 201'],
    // The system refusing a path the user named is their input, not an internal error.
    [['lab', 'synth', '--nodes', '1', '--out', '/nonexistent/dir/x.json'], 'ENOENT: no such file or directory'],
    [['lab', 'synth', '--nodes', '1', '--out', tmpdir()], 'EISDIR'],
  ])('exits 2 with a one-line error for %j', async (args, text) => {
    const { code, stderr, stdout } = await hoplens(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(text);
  });
});
