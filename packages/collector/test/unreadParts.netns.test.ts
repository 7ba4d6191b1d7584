import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { HostInventory } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import type * as commands from '../src/runCommand.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

/** The commands to fail (every argv word in one of these lists), as a tool that exits non-zero would. */
const failing = vi.hoisted(() => ({ words: [] as string[][], message: 'RTNETLINK answers: Interrupted system call' }));
vi.mock('../src/runCommand.ts', async (importOriginal) => {
  const real = await importOriginal<typeof commands>();
  return {
    ...real,
    runCommand: (argv: readonly string[], timeoutMs?: number): Promise<string> =>
      failing.words.some((ws) => ws.every((w) => argv.includes(w)))
        ? Promise.reject(new real.CommandError(argv, failing.message))
        : real.runCommand(argv, timeoutMs),
  };
});

const ns = `hl-${randomBytes(3).toString('hex')}-unread`;

/**
 * The iproute2 backend on a real namespace (a veth with a clsact qdisc, so tc filters are asked)
 * where one command fails: a part the inventory holds as a plain list leaves the namespace out, an
 * optional one is left absent — never an empty list the tracer would take as "none".
 */
describe.skipIf(!canBuildNetns())('a command that fails on a real namespace', () => {
  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', ns]);
    await runCommand(['ip', '-n', ns, 'link', 'add', 'vu0', 'type', 'veth', 'peer', 'name', 'vu1']);
    await runCommand(['ip', '-n', ns, 'link', 'set', 'vu0', 'up']);
    await runCommand(['ip', '-n', ns, 'addr', 'add', '10.77.0.1/24', 'dev', 'vu0']);
    await runCommand(['tc', '-n', ns, 'qdisc', 'add', 'dev', 'vu0', 'clsact']);
  });
  afterAll(async () => {
    failing.words = [];
    await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
  });

  const collect = async (fail: string[][]): Promise<HostInventory> => {
    failing.words = fail;
    try {
      const [host] = await collectLocal(
        { hosts: [{ name: 'h', kind: 'node', root: ns, netns: [] }] },
        { backend: 'iproute2' },
      );
      return host!;
    } finally {
      failing.words = [];
    }
  };

  it('collects everything where nothing fails', async () => {
    const host = await collect([]);
    const [n] = host.namespaces;
    expect(n?.routes.some((r) => r.dst === '10.77.0.0/24')).toBe(true);
    expect(n?.rules?.length).toBeGreaterThan(0);
    expect(Array.isArray(n?.fdb)).toBe(true);
  });

  it.each([
    ['addr', ['addr', 'show'], 'its addresses'],
    ['route -4', ['-4', 'route', 'show'], 'its routes'],
    ['route -6', ['-6', 'route', 'show'], 'its routes'],
    ['neigh', ['neigh', 'show', '-j'], 'its neighbour table'],
    ['qdisc', ['qdisc', 'show'], 'its qdiscs (and so its tc filters)'],
    ['filter', ['filter', 'show', 'egress'], 'its tc filters'],
  ])('leaves the namespace out where %s fails, saying why', async (_, words, what) => {
    // (`neigh show` fails `neigh show proxy` too: the plain one alone leaves the namespace out.)
    const host = await collect([words]);
    expect(host.namespaces).toEqual([]);
    const error = host.errors.find((e) => e.message.includes('left out'));
    expect(error?.message).toContain(`${what} could not be read, so this namespace is left out`);
    expect(error?.message).toContain('Interrupted system call');
    expect(error?.netns).toBe(ns);
  });

  it('keeps the namespace without policy rules or fdb where those fail, never as empty lists', async () => {
    for (const words of [
      ['-4', 'rule'],
      ['-6', 'rule'],
    ]) {
      const [n] = (await collect([words])).namespaces;
      expect(n?.rules).toBeUndefined();
      expect(n?.routes.some((r) => r.dst === '10.77.0.0/24')).toBe(true);
    }
    const [n] = (await collect([['fdb', 'show']])).namespaces;
    expect(n?.fdb).toBeUndefined();
    expect(n?.rules?.length).toBeGreaterThan(0);
  });

  it('takes the IPv6 rules a kernel without IPv6 refuses as none, not as unread', async () => {
    failing.message = 'RTNETLINK answers: Address family not supported by protocol';
    try {
      const host = await collect([['-6', 'rule']]);
      const [n] = host.namespaces;
      expect(n?.rules?.length).toBeGreaterThan(0);
      expect(n?.rules?.every((r) => r.family === 'inet')).toBe(true);
      // Nothing failed: no error on the host (the collection-incomplete rule would report one).
      expect(host.errors).toEqual([]);
    } finally {
      failing.message = 'RTNETLINK answers: Interrupted system call';
    }
  });
});
