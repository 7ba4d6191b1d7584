import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { HostInventory } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const prefix = `hl-${randomBytes(3).toString('hex')}-`;
// Hostile but legal: iproute2 accepts these in netns names, the kernel these in interface names.
const evilNs = `${prefix}a;b$(touch x)\`id\`'"\nz`;
const host = `${prefix}host`;
const evilIf = `x<y>"'&`;

describe.skipIf(!canBuildNetns())('collectLocal on real namespaces', () => {
  let inv: HostInventory[];

  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', host]);
    await runCommand(['ip', 'netns', 'add', evilNs]);
    await runCommand([
      'ip',
      '-n',
      host,
      'link',
      'add',
      evilIf,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      evilNs,
    ]);
    await runCommand(['ip', '-n', host, 'link', 'add', 'under0', 'type', 'veth', 'peer', 'name', 'under1']);
    await runCommand(['ip', '-n', host, 'addr', 'add', '192.0.2.1/24', 'dev', 'under0']);
    await runCommand(['ip', '-n', host, 'link', 'set', 'under0', 'up']);
    // Created in the host root with an underlay, then moved: the socket stays behind.
    await runCommand([
      'ip',
      '-n',
      host,
      'link',
      'add',
      'vx9',
      'type',
      'vxlan',
      'id',
      '42',
      'remote',
      '192.0.2.9',
      'dstport',
      '4789',
      'dev',
      'under0',
    ]);
    await runCommand(['ip', '-n', host, 'link', 'set', 'vx9', 'netns', evilNs]);
    inv = await collectLocal({ hosts: [{ name: 'h1', kind: 'node', root: host, netns: [evilNs] }] });
  });

  afterAll(async () => {
    for (const ns of [host, evilNs]) await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
  });

  it('collects a namespace whose name holds shell metacharacters and a newline', () => {
    expect(inv[0]!.errors).toEqual([]);
    expect(inv[0]!.namespaces.map((n) => n.name)).toEqual([host, evilNs]);
  });

  it('resolves a veth peer across namespaces to (host, netns, ifindex)', () => {
    const rootNs = inv[0]!.namespaces[0]!;
    const veth = rootNs.links.find((l) => l.name === evilIf)!;
    const eth0 = inv[0]!.namespaces[1]!.links.find((l) => l.name === 'eth0')!;
    expect(veth.peer).toEqual({ host: 'h1', netns: evilNs, ifindex: eth0.ifindex });
    expect(eth0.peer).toEqual({ host: 'h1', netns: host, ifindex: veth.ifindex });
  });

  it('puts a moved vxlan device`s socket in the namespace it was created in, with the true underlay', () => {
    const under = inv[0]!.namespaces[0]!.links.find((l) => l.name === 'under0')!;
    const vx = inv[0]!.namespaces[1]!.links.find((l) => l.name === 'vx9')!;
    expect(vx.vxlan).toMatchObject({
      vni: 42,
      port: 4789,
      remote: '192.0.2.9',
      socketNetns: { host: 'h1', netns: host },
    });
    expect(vx.vxlan?.underlay).toEqual({ host: 'h1', netns: host, ifindex: under.ifindex });
  });

  it('records a namespace that does not exist as an error on its host, keeping the rest', async () => {
    const partial = await collectLocal({ hosts: [{ name: 'h1', kind: 'node', root: host, netns: [`${prefix}gone`] }] });
    expect(partial[0]!.namespaces.map((n) => n.name)).toEqual([host]);
    expect(partial[0]!.errors).toHaveLength(1);
    expect(partial[0]!.errors[0]).toMatchObject({ netns: `${prefix}gone` });
  });
});
