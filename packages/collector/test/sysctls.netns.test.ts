import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { HostInventory, NetConf } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const ns = `hl-${randomBytes(3).toString('hex')}-sysctl`;
/** A namespace with a Linux bridge: br_netfilter's switches weigh on its frames, and are read. */
const bridged = `${ns}b`;

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
  ['net.ipv4.ip_local_port_range', '40000 50000'],
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
    await runCommand(['ip', 'netns', 'add', bridged]);
    await runCommand(['ip', '-n', bridged, 'link', 'add', 'br0', 'type', 'bridge']);
    for (const backend of ['netlink', 'iproute2'] as const) {
      const hosts = [
        { name: 'h', kind: 'node' as const, root: ns, netns: [] },
        { name: 'b', kind: 'node' as const, root: bridged, netns: [] },
      ];
      inv.set(backend, await collectLocal({ hosts }, { backend }));
    }
  });
  afterAll(async () => {
    for (const name of [ns, bridged]) await runCommand(['ip', 'netns', 'del', name]).catch(() => undefined);
  });

  it.each(['netlink', 'iproute2'])('the %s backend reads each device, all and the global ones', (backend) => {
    const sysctls = inv.get(backend)![0]!.namespaces[0]!.sysctls!;
    expect(sysctls.devices.find((d) => d.name === 'vs0')?.conf).toEqual(VS0);
    expect(sysctls.devices.find((d) => d.name === 'vs1')?.conf.ipv4?.rpFilter).toBe(0);
    expect(sysctls.devices.find((d) => d.name === 'vs1')?.conf.ipv6?.forceForwarding).toBe(1);
    expect(sysctls.devices.map((d) => d.name)).not.toContain('lo');
    expect(sysctls.all.ipv4).toMatchObject({ rpFilter: 5, arpIgnore: -1 });
    expect(sysctls.icmpEchoIgnoreAll).toBe(1);
    expect(sysctls.localPortRange).toEqual({ start: 40000, end: 50000 });
  });

  it.each(['netlink', 'iproute2'])(
    'the %s backend keeps br_netfilter’s switches only where a bridge is, and nf_conntrack_max only where connections are tracked',
    async (backend) => {
      const [plain, withBridge] = inv.get(backend)!.map((h) => h.namespaces[0]!.sysctls!);
      const read = async (name: string, file: string): Promise<number | undefined> => {
        const text = await runCommand(['ip', 'netns', 'exec', name, 'cat', file]).catch(() => undefined);
        return text === undefined ? undefined : Number(text.trim());
      };
      // Where br_netfilter is loaded (this kernel has it), the bridge's namespace has its own switches.
      const call = await read(bridged, '/proc/sys/net/bridge/bridge-nf-call-iptables');
      if (existsSync('/proc/sys/net/bridge')) expect(call).toBeDefined();
      expect(withBridge!.bridgeNfCallIptables).toBe(call);
      expect(withBridge!.bridgeNfCallIp6tables).toBe(
        await read(bridged, '/proc/sys/net/bridge/bridge-nf-call-ip6tables'),
      );
      expect(plain!.bridgeNfCallIptables).toBeUndefined();
      expect(plain!.bridgeNfCallIp6tables).toBeUndefined();
      expect(plain!.bridgeNfCallArptables).toBeUndefined();
      // Nothing is tracked in either: the count is read (where conntrack is loaded), its limit is not.
      const count = await read(ns, '/proc/sys/net/netfilter/nf_conntrack_count');
      expect(plain!.conntrackCount).toBe(count);
      expect(plain!.conntrackMax).toBeUndefined();
    },
  );
});
