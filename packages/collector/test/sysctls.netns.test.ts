import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { HostInventory, NetConf } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const ns = `hl-${randomBytes(3).toString('hex')}-sysctl`;

/** A value for every field, each unlike the kernel's default and unlike the others where it can be. */
const SET: readonly [string, string][] = [
  ['net.ipv4.conf.vs0.rp_filter', '2'],
  ['net.ipv4.conf.vs0.accept_local', '1'],
  ['net.ipv4.conf.vs0.route_localnet', '1'],
  ['net.ipv4.conf.vs0.arp_ignore', '3'],
  ['net.ipv4.conf.vs0.arp_announce', '2'],
  ['net.ipv4.conf.vs0.arp_filter', '1'],
  ['net.ipv4.conf.vs0.proxy_arp', '1'],
  ['net.ipv4.conf.vs0.forwarding', '1'],
  ['net.ipv6.conf.vs0.disable_ipv6', '1'],
  ['net.ipv6.conf.vs1.force_forwarding', '1'],
  ['net.ipv4.conf.all.rp_filter', '5'],
  ['net.ipv4.conf.all.arp_ignore', '-1'],
  ['net.ipv4.icmp_echo_ignore_all', '1'],
];
const VS0: NetConf = {
  ipv4: {
    rpFilter: 2,
    acceptLocal: 1,
    routeLocalnet: 1,
    arpIgnore: 3,
    arpAnnounce: 2,
    arpFilter: 1,
    proxyArp: 1,
    forwarding: 1,
  },
  // net.ipv4 forwarding on one device leaves IPv6 forwarding alone.
  ipv6: { disableIpv6: 1, forwarding: 0, forceForwarding: 0 },
};

/**
 * Every sysctl field read off a real namespace where each has a value of its own, by both backends:
 * the netlink helper takes a device's from its link dump (IFLA_AF_SPEC, an array read by index) and
 * `all`'s from files, iproute2 greps every file, so a wrong index or name shows here.
 */
describe.skipIf(!canBuildNetns())('sysctls on a real namespace', () => {
  const inv = new Map<string, HostInventory[]>();

  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', ns]);
    await runCommand(['ip', '-n', ns, 'link', 'add', 'vs0', 'type', 'veth', 'peer', 'name', 'vs1']);
    for (const [key, value] of SET) await runCommand(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', `${key}=${value}`]);
    for (const backend of ['netlink', 'iproute2'] as const) {
      inv.set(backend, await collectLocal({ hosts: [{ name: 'h', kind: 'node', root: ns, netns: [] }] }, { backend }));
    }
  });
  afterAll(async () => {
    await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
  });

  it.each(['netlink', 'iproute2'])('the %s backend reads each device, all and the global ones', (backend) => {
    const sysctls = inv.get(backend)![0]!.namespaces[0]!.sysctls!;
    expect(sysctls.devices.find((d) => d.name === 'vs0')?.conf).toEqual(VS0);
    expect(sysctls.devices.find((d) => d.name === 'vs1')?.conf.ipv4?.rpFilter).toBe(0);
    expect(sysctls.devices.find((d) => d.name === 'vs1')?.conf.ipv6?.forceForwarding).toBe(1);
    expect(sysctls.devices.map((d) => d.name)).not.toContain('lo');
    expect(sysctls.all.ipv4).toMatchObject({ rpFilter: 5, arpIgnore: -1 });
    expect(sysctls.icmpEchoIgnoreAll).toBe(1);
  });
});
