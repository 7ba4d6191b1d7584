import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockProbe } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix } from '@hoplens/lab';
import { ProbeResultSchema, validate } from '@hoplens/model';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const INSTANCES = '/sys/kernel/tracing/instances';

function hoplens(args: string[], uid?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { encoding: 'utf8', ...(uid === undefined ? {} : { uid, gid: uid }) },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The probe's tracefs instances of one process: hoplens-probe-<pidns>-<pid>-<random>. */
const instancesOf = (pid: number): string[] =>
  existsSync(INSTANCES) ? readdirSync(INSTANCES).filter((n) => new RegExp(`^hoplens-probe-\\d+-${pid}-`).test(n)) : [];

/** Processes still running with this lab's namespaces in their command line (the capture helper, ping). */
function processesOf(prefix: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(`/run/netns/${prefix}`)) found.push(cmd);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The machine is shared and often loaded: starting tsx alone can take seconds. */
const until = async (ok: () => boolean, ms = 60_000): Promise<void> => {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
};

/** A long probe (10 echoes) in its own process, to stop or to race. */
function startProbe(hostMap: string): { child: ChildProcess; exit: Promise<number | null> } {
  const args = ['probe', '--hosts', hostMap, '--from', 'worker', '--to', '10.132.2.46', '--count', '10'];
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: 'ignore' });
  return { child, exit: new Promise((r) => child.on('exit', (code) => r(code))) };
}

describe.skipIf(!canBuildNetns())('hoplens probe on the real seed lab', { timeout: 120_000 }, () => {
  const prefix = newLabPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-probe-'));
  const hostMap = join(dir, 'hostmap.json');
  const pod = `worker/${prefix}pod`;
  beforeAll(async () => {
    const plan = await labUp({ scenario: 'seed', variant: 'broken', prefix });
    writeFileSync(hostMap, JSON.stringify(plan.hostMap));
  });
  afterAll(async () => {
    await labDown(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the kernel dropping the pings at the pod VM vxlan0 as OTHERHOST, and writes a pcap tcpdump reads', async () => {
    const pcap = join(dir, 'probe.pcapng');
    const { code, stdout } = await hoplens([
      'probe',
      '--hosts',
      hostMap,
      '--from',
      'worker',
      '--to',
      '10.132.2.46',
      '--count',
      '2',
      '--json',
      '--pcap',
      pcap,
    ]);
    expect(code).toBe(0);
    const r = validate(ProbeResultSchema, JSON.parse(stdout), 'probe result');
    expect(r.observed.ping).toMatchObject({ transmitted: 2, received: 0 });
    expect(r.kernelDrop).toMatchObject({ reason: 'OTHERHOST', site: { netns: `${prefix}podns`, interface: 'vxlan0' } });
    expect(r.agreement).toMatchObject({ verdict: 'agree', dropSite: 'agree' });
    const read = await new Promise<string>((resolve) =>
      execFile('tcpdump', ['-r', pcap, '-n'], (_e, out) => resolve(out)),
    );
    expect(read).toMatch(/ICMP echo request, id \d+, seq 2/);
  });

  it.each([
    [['--count', '11'], /--count must be 1 to 10/],
    [['--size', '9000'], /--size must be 0 to 8972/],
  ])('refuses %j with exit 2 and one line', async (extra, message) => {
    const { code, stderr } = await hoplens([
      'probe',
      '--hosts',
      hostMap,
      '--from',
      'worker',
      '--to',
      '10.132.2.46',
      ...extra,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a namespace that is not in the inventory, and leaves nothing behind', async () => {
    const { code, stderr } = await hoplens([
      'probe',
      '--hosts',
      hostMap,
      '--from',
      'worker/not-there',
      '--to',
      '10.132.2.46',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no namespace not-there on host worker/);
    expect(processesOf(prefix)).toEqual([]);
  });

  it('says it needs root and exits 2 when run as another user', async () => {
    const { code, stderr } = await hoplens(['probe', '--hosts', hostMap, '--from', pod, '--to', '10.132.2.1'], 65534);
    expect(code).toBe(2);
    expect(stderr).toMatch(/a probe needs root/);
  });

  it('refuses a second probe from the same namespace while one runs', async () => {
    // This test process holds the namespace's probe lock, as a running probe does (a second CLI
    // started next to a first one on a loaded machine may only start after the first has ended).
    const release = lockProbe(`/run/netns/${prefix}worker`);
    try {
      const second = await hoplens(['probe', '--hosts', hostMap, '--from', 'worker', '--to', '10.132.2.46']);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(`a probe from this namespace is already running \\(pid ${process.pid}\\)`),
      );
      expect(processesOf(prefix)).toEqual([]);
    } finally {
      release();
    }
  });

  it('leaves no tracefs instance and no process behind when stopped with SIGTERM', async () => {
    const { child, exit } = startProbe(hostMap);
    await until(() => instancesOf(child.pid!).length > 0 && processesOf(prefix).length > 0);
    child.kill('SIGTERM');
    expect(await exit).toBe(143);
    expect(instancesOf(child.pid!)).toEqual([]);
    await until(() => processesOf(prefix).length === 0, 10_000);
  });

  it('after a SIGKILL, the next probe removes the instance the dead one left', async () => {
    const { child, exit } = startProbe(hostMap);
    await until(() => instancesOf(child.pid!).length > 0 && processesOf(prefix).length > 0);
    child.kill('SIGKILL');
    await exit;
    expect(instancesOf(child.pid!)).toHaveLength(1);
    // The capture helper dies with its parent; ping ends by itself (10 echoes, 0.2 s apart).
    await until(() => processesOf(prefix).length === 0, 20_000);
    const next = ['probe', '--hosts', hostMap, '--from', 'worker', '--to', '10.132.2.46', '--count', '1'];
    expect((await hoplens(next)).code).toBe(0);
    expect(instancesOf(child.pid!)).toEqual([]);
  });
});
