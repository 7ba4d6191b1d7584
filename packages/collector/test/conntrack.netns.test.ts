import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { HostInventory } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const prefix = `hl-${randomBytes(3).toString('hex')}-`;
const worker = `${prefix}ctw`;
const vm = `${prefix}ctv`;
const SENDS = 40;
const NOBODY = '10.200.0.9';

/**
 * A VXLAN tunnel whose packets conntrack follows (an iptables rule that asks for a state, as
 * kube-proxy's do): each inner flow leaves an UNREPLIED entry for the tunnel's port. Both backends
 * must count them alike.
 */
describe.skipIf(!canBuildNetns())('unreplied conntrack entries on a real namespace', () => {
  const inv = new Map<string, HostInventory[]>();

  beforeAll(async () => {
    const ip = (ns: string, ...args: string[]) => runCommand(['ip', '-n', ns, ...args]);
    for (const ns of [worker, vm]) {
      await runCommand(['ip', 'netns', 'add', ns]);
      // IPv6 would send router solicitations and MLD reports through the tunnel on its own time.
      for (const conf of ['all', 'default']) {
        await runCommand(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${conf}.disable_ipv6=1`]);
      }
    }
    await ip(worker, 'link', 'add', 'u0', 'type', 'veth', 'peer', 'name', 'u0', 'netns', vm);
    for (const [ns, me, peer] of [
      [worker, '1', '2'],
      [vm, '2', '1'],
    ] as const) {
      await ip(ns, 'addr', 'add', `192.168.100.${me}/24`, 'dev', 'u0');
      await ip(ns, 'link', 'set', 'u0', 'up');
      await ip(
        ns,
        'link',
        'add',
        'vx0',
        'type',
        'vxlan',
        'id',
        '100',
        'remote',
        `192.168.100.${peer}`,
        'dstport',
        '4789',
      );
      await ip(ns, 'addr', 'add', `10.200.0.${me}/24`, 'dev', 'vx0');
      await ip(ns, 'link', 'set', 'vx0', 'up');
    }
    // An inner address nobody holds, its MAC nobody's: the VM takes each frame off the tunnel and
    // drops it (OTHERHOST), answering nothing, so the count is the worker's flows alone.
    await ip(worker, 'neigh', 'add', NOBODY, 'lladdr', '02:00:00:00:00:99', 'dev', 'vx0', 'nud', 'permanent');
    await runCommand([
      'ip',
      'netns',
      'exec',
      worker,
      'iptables',
      '-A',
      'INPUT',
      '-m',
      'conntrack',
      '--ctstate',
      'INVALID',
      '-j',
      'DROP',
    ]);
    await runCommand([
      'ip',
      'netns',
      'exec',
      worker,
      'bash',
      '-c',
      `for i in $(seq 1 ${SENDS}); do echo x > /dev/udp/${NOBODY}/$((20000 + i)); done; true`,
    ]);
    for (const backend of ['netlink', 'iproute2'] as const) {
      inv.set(
        backend,
        await collectLocal(
          {
            hosts: [
              { name: 'w', kind: 'node', root: worker, netns: [] },
              { name: 'v', kind: 'pod-vm', root: vm, netns: [] },
            ],
          },
          { backend },
        ),
      );
    }
  });
  afterAll(async () => {
    for (const ns of [worker, vm]) await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
  });

  it.each(['netlink', 'iproute2'])('the %s backend counts the tunnel port’s unreplied entries', (backend) => {
    const [w, v] = inv.get(backend)!.map((h) => h.namespaces[0]!);
    const tunnel = w!.conntrackUnreplied?.find((e) => e.port === 4789);
    // One per inner flow sent: each inner port hashes to another outer source port (two may meet).
    expect(tunnel?.count).toBeGreaterThanOrEqual(SENDS - 3);
    expect(tunnel?.count).toBeLessThanOrEqual(SENDS);
    // The VM asks conntrack for nothing: its table is read, and empty.
    expect(v!.conntrackUnreplied).toEqual([]);
  });

  it.each(['netlink', 'iproute2'])(
    'the %s backend reads nf_conntrack_max where connections are tracked, and only there',
    async (backend) => {
      const [w, v] = inv.get(backend)!.map((h) => h.namespaces[0]!.sysctls);
      // Global (read-only outside the host's namespace): the host's own file says it.
      const max = Number((await runCommand(['cat', '/proc/sys/net/netfilter/nf_conntrack_max'])).trim());
      expect(w?.conntrackCount).toBeGreaterThan(0);
      expect(w?.conntrackMax).toBe(max);
      expect(v?.conntrackCount).toBe(0);
      expect(v?.conntrackMax).toBeUndefined();
    },
  );

  it('gives the same counts from both backends', () => {
    const of = (backend: string) => inv.get(backend)!.map((h) => h.namespaces[0]!.conntrackUnreplied);
    expect(of('iproute2')).toEqual(of('netlink'));
  });
});
