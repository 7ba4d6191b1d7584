import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeldNetns } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { discoverNetns } from '../src/discoverNetns.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const prefix = `hl-${randomBytes(3).toString('hex')}-`;
const named = `${prefix}named`;

/** Starts a process and waits until it runs what it was asked to (its comm shows it). */
async function holder(argv: string[]): Promise<ChildProcess> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const comm = await readFile(`/proc/${child.pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'sleep') return child;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${argv.join(' ')} did not start`);
}

/**
 * A container runtime leaves a pod's namespace held by a process only, with no name under
 * /run/netns. Discovery finds it by /proc/PID/ns/net, once per namespace (by inode), labelled with
 * its holder, and both backends collect it by that file.
 */
describe.skipIf(!canBuildNetns())('namespaces only a process holds', () => {
  let lone: ChildProcess;
  let inNamed: ChildProcess;
  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', named]);
    lone = await holder(['unshare', '--net', 'sleep', '60']);
    inNamed = await holder(['ip', 'netns', 'exec', named, 'sleep', '60']);
  });
  afterAll(async () => {
    lone?.kill('SIGKILL');
    inNamed?.kill('SIGKILL');
    await runCommand(['ip', 'netns', 'del', named]).catch(() => undefined);
  });

  it('finds a namespace held only by a process, and not one that also has a name', async () => {
    const found = await discoverNetns();
    expect(found.named).toContain(named);
    const held = found.held.find((h) => h.path === `/proc/${lone.pid}/ns/net`);
    expect(held).toEqual({
      name: `sleep-${lone.pid}`,
      path: `/proc/${lone.pid}/ns/net`,
      holder: `sleep (pid ${lone.pid})`,
    });
    // The sleeper inside the named namespace shares its inode: listed once, by name.
    expect(found.held.some((h) => h.path === `/proc/${inNamed.pid}/ns/net`)).toBe(false);
  });

  it.each(['netlink', 'iproute2'] as const)('%s collects it by its file and keeps who holds it', async (backend) => {
    const entry: HeldNetns = { name: `sleep-${lone.pid}`, path: `/proc/${lone.pid}/ns/net`, holder: 'sleep' };
    const [host] = await collectLocal(
      { hosts: [{ name: 'h', kind: 'node', root: named, netns: [entry] }] },
      { backend },
    );
    expect(host!.errors).toEqual([]);
    const ns = host!.namespaces.find((n) => n.name === entry.name)!;
    expect(ns).toMatchObject({ root: false, path: entry.path, holder: 'sleep' });
    expect(ns.links.map((l) => l.kind)).toEqual(['loopback']);
  });
});
