import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { HostInventory } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const ns = `hl-${randomBytes(3).toString('hex')}-alias`;

/**
 * An interface alias is any bytes: with an ESC or a ^A in it, `ip -j link` prints invalid JSON
 * (iproute2 writes those bytes raw). The namespace must still be read whole, by both backends.
 */
describe.skipIf(!canBuildNetns())('a namespace whose interface alias holds control characters', () => {
  const inv = new Map<string, HostInventory[]>();

  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', ns]);
    await runCommand(['ip', '-n', ns, 'link', 'add', 'ha0', 'type', 'veth', 'peer', 'name', 'ha1']);
    await runCommand(['ip', '-n', ns, 'link', 'set', 'dev', 'ha0', 'alias', 'x\u001b[2K\u0001y']);
    await runCommand(['ip', '-n', ns, 'addr', 'add', '10.77.0.1/24', 'dev', 'ha0']);
    for (const backend of ['netlink', 'iproute2'] as const) {
      inv.set(backend, await collectLocal({ hosts: [{ name: 'h', kind: 'node', root: ns, netns: [] }] }, { backend }));
    }
  });
  afterAll(async () => {
    await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
  });

  it.each(['netlink', 'iproute2'])('is read whole by the %s backend, without an error', (backend) => {
    const host = inv.get(backend)![0]!;
    expect(host.errors).toEqual([]);
    const netns = host.namespaces[0]!;
    expect(netns.links.map((l) => l.name).sort()).toEqual(['ha0', 'ha1', 'lo']);
    expect(netns.addresses.find((a) => a.address === '10.77.0.1')).toMatchObject({ prefixlen: 24 });
  });
});
