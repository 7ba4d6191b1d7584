import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { MAX_LISTENING_SOCKETS, type HostInventory, type ListeningSocket } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const prefix = `hl-${randomBytes(3).toString('hex')}-`;
const zoo = `${prefix}skz`;
const many = `${prefix}skm`;
/** Past the cap: the list must come back cut, and marked so. */
const MANY = MAX_LISTENING_SOCKETS + 500;

/** Sockets of every kind that matters, and two that must not be listed (a connected UDP socket, an established TCP one). */
const ZOO_SCRIPT = `
const net = require('node:net'), dgram = require('node:dgram');
const tcp = (o) => new Promise((r) => net.createServer().listen(o, r));
const udp = (type, port, address, ipv6Only) => new Promise((r) => dgram.createSocket({ type, ipv6Only }).bind(port, address, r));
(async () => {
  await tcp({ port: 8080, host: '0.0.0.0' });
  await tcp({ port: 81, host: '10.9.9.9' });
  await tcp({ port: 8443, host: '::', ipv6Only: true });
  await tcp({ port: 8444, host: '::' });
  await tcp({ port: 8445, host: 'fd00::9' });
  await udp('udp4', 5353, '0.0.0.0');
  await udp('udp6', 5354, '::', false);
  await udp('udp6', 5355, '::1', true);
  const c = dgram.createSocket('udp4');
  await new Promise((r) => c.connect(5353, '10.9.9.9', r));
  await new Promise((r) => net.connect(8080, '10.9.9.9', r));
  console.log('ready');
})();
`;
const MANY_SCRIPT = `
const dgram = require('node:dgram');
let left = ${MANY};
for (let i = 0; i < ${MANY}; i++) dgram.createSocket('udp4').bind(20000 + i, '0.0.0.0', () => --left || console.log('ready'));
`;

const children: ChildProcess[] = [];

/** Starts a program in a namespace and waits until it prints `ready` (or, without `ready`, a moment). */
function start(ns: string, argv: string[], ready: boolean): Promise<void> {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => (ready ? reject(new Error(`${argv[0]} did not start`)) : resolve()),
      ready ? 20_000 : 500,
    );
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

const sockets = (inv: HostInventory[], host: string): HostInventory['namespaces'][number]['listening'] =>
  inv.find((h) => h.name === host)!.namespaces[0]!.listening;

const sorted = (list: readonly ListeningSocket[]): string[] => list.map((s) => JSON.stringify(s)).sort();

/**
 * Listening sockets on real namespaces, from both backends: TCP LISTEN and unconnected UDP, v4 and
 * v6, bound to an address, to a wildcard, to a device (SO_BINDTODEVICE), v6only or dual-stack;
 * connected sockets left out; a namespace with more than the cap comes back cut and marked.
 */
describe.skipIf(!canBuildNetns())('listening sockets on real namespaces', () => {
  const inv = new Map<string, HostInventory[]>();

  beforeAll(async () => {
    for (const ns of [zoo, many]) {
      await runCommand(['ip', 'netns', 'add', ns]);
      await runCommand(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    await runCommand(['ip', '-n', zoo, 'addr', 'add', '10.9.9.9/32', 'dev', 'lo']);
    await runCommand(['ip', '-n', zoo, 'addr', 'add', 'fd00::9/128', 'dev', 'lo', 'nodad']);
    await start(zoo, [process.execPath, '-e', ZOO_SCRIPT], true);
    // Node cannot bind to a device: socat can.
    await start(zoo, ['socat', 'TCP4-LISTEN:82,so-bindtodevice=lo', '/dev/null'], false);
    await start(zoo, ['socat', '-u', 'UDP6-RECV:5356,so-bindtodevice=lo,ipv6only=0', '/dev/null'], false);
    await start(many, [process.execPath, '-e', MANY_SCRIPT], true);
    const map = {
      hosts: [
        { name: 'zoo', kind: 'node' as const, root: zoo, netns: [] },
        { name: 'many', kind: 'node' as const, root: many, netns: [] },
      ],
    };
    for (const backend of ['netlink', 'iproute2'] as const) inv.set(backend, await collectLocal(map, { backend }));
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const ns of [zoo, many]) await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
  });

  it.each(['netlink', 'iproute2'])('the %s backend lists each listening socket as it is bound', (backend) => {
    const got = sockets(inv.get(backend)!, 'zoo');
    const v4 = (proto: 'tcp' | 'udp', address: string, port: number, dev?: string): ListeningSocket => ({
      proto,
      family: 'inet',
      address,
      port,
      ...(dev === undefined ? {} : { dev }),
    });
    const v6 = (
      proto: 'tcp' | 'udp',
      address: string,
      port: number,
      v6only: boolean,
      dev?: string,
    ): ListeningSocket => ({
      proto,
      family: 'inet6',
      address,
      port,
      ...(dev === undefined ? {} : { dev }),
      v6only,
    });
    expect(got?.truncated).toBeUndefined();
    expect(sorted(got!.sockets)).toEqual(
      sorted([
        v4('tcp', '0.0.0.0', 8080),
        v4('tcp', '10.9.9.9', 81),
        v4('tcp', '0.0.0.0', 82, 'lo'),
        v6('tcp', '::', 8443, true),
        v6('tcp', '::', 8444, false),
        // Bound to an IPv6 address (not v4-mapped), a socket is v6only whatever it asked: inet6_bind sets it.
        v6('tcp', 'fd00::9', 8445, true),
        v4('udp', '0.0.0.0', 5353),
        v6('udp', '::', 5354, false),
        v6('udp', '::1', 5355, true),
        v6('udp', '::', 5356, false, 'lo'),
      ]),
    );
  });

  it.each(['netlink', 'iproute2'])('the %s backend cuts a namespace with more sockets than the cap', (backend) => {
    const got = sockets(inv.get(backend)!, 'many');
    expect(got?.truncated).toBe(true);
    expect(got?.sockets).toHaveLength(MAX_LISTENING_SOCKETS);
  });

  it('gives the same sockets from both backends, and keeps the iproute2 text bounded', () => {
    for (const host of ['zoo', 'many']) {
      expect(sockets(inv.get('iproute2')!, host)).toEqual(sockets(inv.get('netlink')!, host));
    }
    const raw = inv.get('iproute2')!.find((h) => h.name === 'many')!.namespaces[0]!.raw;
    const ss = raw.find((r) => r.command.includes('ss'))!;
    expect(ss.output.split('\n')).toHaveLength(MAX_LISTENING_SOCKETS + 1);
  });
});
