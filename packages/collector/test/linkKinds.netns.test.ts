import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInventory, Link, NetnsInventory } from '@hoplens/model';
import { collectLocal, type CollectBackend } from '../src/collectLocal.ts';
import { CommandError, runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const prefix = `hl-${randomBytes(3).toString('hex')}-`;
const a = `${prefix}kinds`;
const b = `${prefix}other`;
const ip = (...args: string[]) => runCommand(['ip', '-n', a, ...args]);

/** Kinds whose module this kernel may lack: made where it can, and reported where it cannot. */
const OPTIONAL: [string, string[]][] = [
  ['vlan', ['link', 'add', 'vl10', 'link', 'up0', 'type', 'vlan', 'id', '10']],
  ['ipvlan', ['link', 'add', 'ipv0', 'link', 'up0', 'type', 'ipvlan', 'mode', 'l2']],
  ['bond', ['link', 'add', 'bond0', 'type', 'bond', 'mode', 'active-backup']],
  ['geneve', ['link', 'add', 'gnv0', 'type', 'geneve', 'id', '77', 'remote', '198.51.100.9']],
  ['dummy', ['link', 'add', 'dum0', 'type', 'dummy']],
];

/**
 * Every link kind this kernel can make, in a real namespace, collected by both backends: kind
 * data, the lower device across namespaces, counters, qdiscs, v6 addresses and routes, a policy
 * rule and a bridge's fdb.
 */
describe.skipIf(!canBuildNetns())('link kinds, counters, qdiscs, v6 and policy rules on real namespaces', () => {
  const made = new Set<string>();
  const missing: string[] = [];
  const inv = new Map<CollectBackend, HostInventory[]>();

  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', a]);
    await runCommand(['ip', 'netns', 'add', b]);
    // No duplicate address detection: a link-local address would otherwise turn up between the
    // two backends' collections, and they would rightly differ.
    for (const key of ['all', 'default'])
      await runCommand(['ip', 'netns', 'exec', a, 'sysctl', '-q', '-w', `net.ipv6.conf.${key}.accept_dad=0`]);
    await ip('link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'up1');
    await ip('link', 'set', 'up0', 'up');
    await ip('link', 'set', 'up1', 'up');
    await ip('link', 'add', 'mv0', 'link', 'up0', 'type', 'macvlan', 'mode', 'bridge');
    // A macvlan moved to another namespace keeps its lower device here.
    await ip('link', 'add', 'mv1', 'link', 'up0', 'type', 'macvlan', 'mode', 'private');
    await ip('link', 'set', 'mv1', 'netns', b);
    // VXLAN devices with and without their own outer source port range.
    await ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'remote', '192.0.2.9');
    await ip(
      'link',
      'add',
      'vx1',
      'type',
      'vxlan',
      'id',
      '43',
      'dstport',
      '4789',
      'remote',
      '192.0.2.9',
      'srcport',
      '5000',
      '5010',
    );
    await ip('tuntap', 'add', 'tap0', 'mode', 'tap');
    await ip('tuntap', 'add', 'tun0', 'mode', 'tun');
    await ip('link', 'add', 'br0', 'type', 'bridge');
    await ip('link', 'set', 'up1', 'master', 'br0');
    await runCommand([
      'bridge',
      '-n',
      a,
      'link',
      'set',
      'dev',
      'up1',
      'hairpin',
      'on',
      'isolated',
      'on',
      'bcast_flood',
      'off',
    ]);
    await ip('link', 'set', 'br0', 'up');
    await ip('addr', 'add', '2001:db8:5::1/64', 'dev', 'br0', 'nodad');
    await ip('-6', 'route', 'add', '2001:db8:6::/64', 'via', '2001:db8:5::2', 'dev', 'br0');
    await ip('rule', 'add', 'from', '10.66.0.0/16', 'lookup', '66', 'pref', '66');
    await ip('-6', 'rule', 'add', 'to', '2001:db8:7::/48', 'unreachable', 'pref', '67');
    // Selectors the tracer reads (tos, l3mdev, tun_id) and one it names as unevaluated.
    await ip('rule', 'add', 'tos', '0x10', 'lookup', '100', 'pref', '70');
    await ip('rule', 'add', 'l3mdev', 'pref', '71');
    await ip('rule', 'add', 'tun_id', '5', 'lookup', '101', 'pref', '72');
    await ip('rule', 'add', 'suppress_ifgroup', '5', 'lookup', '100', 'pref', '73');
    await runCommand(['bridge', '-n', a, 'fdb', 'add', '02:00:00:00:00:42', 'dev', 'up1', 'master', 'static']);
    await runCommand(['tc', '-n', a, 'qdisc', 'add', 'dev', 'up0', 'clsact']);
    // A NAT chain, as a CNI plugin's ipMasq makes one (iptables-nft).
    await runCommand([
      'ip',
      'netns',
      'exec',
      a,
      'iptables',
      '-t',
      'nat',
      '-A',
      'POSTROUTING',
      '-s',
      '10.66.0.0/16',
      '-j',
      'MASQUERADE',
    ]);
    for (const [kind, args] of OPTIONAL) {
      try {
        await ip(...args);
        made.add(kind);
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
        missing.push(kind);
      }
    }
    // Traffic, so counters move: a ping across the bridge to an address nobody has.
    await ip('addr', 'add', '10.66.1.1/24', 'dev', 'up0');
    await runCommand(['ip', 'netns', 'exec', a, 'ping', '-c1', '-W1', '10.66.1.9']).catch(() => undefined);
    const map = { hosts: [{ name: 'h', kind: 'node' as const, root: a, netns: [b] }] };
    for (const backend of ['netlink', 'iproute2'] as const) inv.set(backend, await collectLocal(map, { backend }));
    if (missing.length > 0)
      console.log(`link kinds this kernel lacks, left to the parser tests: ${missing.join(', ')}`);
  });
  afterAll(async () => {
    await runCommand(['ip', 'netns', 'del', a]).catch(() => undefined);
    await runCommand(['ip', 'netns', 'del', b]).catch(() => undefined);
  });

  const nsOf = (backend: CollectBackend, name: string): NetnsInventory =>
    inv.get(backend)![0]!.namespaces.find((n) => n.name === name)!;
  const link = (backend: CollectBackend, name: string, ns = a): Link =>
    nsOf(backend, ns).links.find((l) => l.name === name)!;

  it.each(['netlink', 'iproute2'] as const)('%s: kind data of every kind made, and the lower device', (backend) => {
    expect(inv.get(backend)![0]!.errors).toEqual([]);
    const up0 = link(backend, 'up0');
    expect(link(backend, 'mv0')).toMatchObject({ kind: 'macvlan', kindData: { kind: 'macvlan', mode: 'bridge' } });
    expect(link(backend, 'mv0').parent).toEqual({ host: 'h', netns: a, ifindex: up0.ifindex });
    expect(link(backend, 'mv1', b).parent).toEqual({ host: 'h', netns: a, ifindex: up0.ifindex });
    expect(link(backend, 'mv1', b).kindData).toEqual({ kind: 'macvlan', mode: 'private' });
    expect(link(backend, 'tap0').kindData).toEqual({ kind: 'tun', type: 'tap' });
    expect(link(backend, 'tun0').kindData).toEqual({ kind: 'tun', type: 'tun' });
    expect(link(backend, 'br0').kind).toBe('bridge');
    // This kernel lacks CONFIG_BRIDGE_VLAN_FILTERING: it reports filtering off, and no protocol or PVID.
    expect(link(backend, 'br0').kindData).toMatchObject({ kind: 'bridge', vlanFiltering: false });
    expect(link(backend, 'up1').slave).toEqual({
      kind: 'bridge',
      state: 'forwarding',
      hairpin: true,
      flags: { learning: true, flood: true, mcastFlood: true, bcastFlood: false, isolated: true },
    });
    expect(link(backend, 'vx0').vxlan).toMatchObject({ vni: 42, port: 4789 });
    expect(link(backend, 'vx0').vxlan?.srcPorts).toBeUndefined();
    expect(link(backend, 'vx1').vxlan).toMatchObject({ vni: 43, srcPorts: { low: 5000, high: 5010 } });
    if (made.has('vlan')) expect(link(backend, 'vl10').kindData).toEqual({ kind: 'vlan', id: 10, protocol: '802.1Q' });
    if (made.has('geneve')) expect(link(backend, 'gnv0').kindData).toMatchObject({ kind: 'geneve', vni: 77 });
  });

  it.each(['netlink', 'iproute2'] as const)('%s: counters, qdiscs, v6, policy rules and fdb', (backend) => {
    const stats = link(backend, 'up0').stats!;
    expect(stats.txPackets).toBeGreaterThan(0);
    expect(Object.values(stats).every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    const ns = nsOf(backend, a);
    expect(ns.qdiscs).toContainEqual({
      ifindex: link(backend, 'up0').ifindex,
      dev: 'up0',
      kind: 'clsact',
      parent: 'ingress',
    });
    expect(ns.addresses).toContainEqual(
      expect.objectContaining({ family: 'inet6', address: '2001:db8:5::1', prefixlen: 64 }),
    );
    expect(ns.routes).toContainEqual(
      expect.objectContaining({ family: 'inet6', dst: '2001:db8:6::/64', gateway: '2001:db8:5::2' }),
    );
    expect(ns.rules).toContainEqual(
      expect.objectContaining({ family: 'inet', priority: 66, src: '10.66.0.0/16', table: '66' }),
    );
    expect(ns.rules).toContainEqual(
      expect.objectContaining({ family: 'inet6', priority: 67, dst: '2001:db8:7::/48', action: 'unreachable' }),
    );
    expect(ns.rules?.filter((r) => r.priority >= 70 && r.priority <= 73)).toEqual([
      { family: 'inet', priority: 70, invert: false, action: 'lookup', table: '100', tos: 16 },
      { family: 'inet', priority: 71, invert: false, action: 'lookup', l3mdev: true },
      { family: 'inet', priority: 72, invert: false, action: 'lookup', table: '101', tunId: '5' },
      {
        family: 'inet',
        priority: 73,
        invert: false,
        action: 'lookup',
        table: '100',
        unevaluated: ['suppress_ifgroup'],
      },
    ]);
    expect(ns.natChains).toEqual([
      { family: 'ip', table: 'nat', chain: 'POSTROUTING', hook: 'postrouting', priority: 100 },
    ]);
    expect(nsOf(backend, b).natChains).toEqual([]);
    expect(ns.fdb).toContainEqual(
      expect.objectContaining({ mac: '02:00:00:00:00:42', dev: 'up1', master: 'br0', state: 'static' }),
    );
  });

  it('gives the same inventory from both backends, counters aside', () => {
    const strip = (hosts: HostInventory[]) =>
      hosts.map((h) => ({
        ...h,
        collectedAt: '',
        namespaces: h.namespaces.map((n) => ({
          ...n,
          raw: [],
          fdb: n.fdb?.filter((e) => e.state !== 'dynamic'),
          neighbors: [],
          links: n.links.map(({ stats: _stats, ...l }) => l),
        })),
      }));
    const canon = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(canon).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canon(x)]));
      return v;
    };
    expect(canon(strip(inv.get('netlink')!))).toEqual(canon(strip(inv.get('iproute2')!)));
  });
});
