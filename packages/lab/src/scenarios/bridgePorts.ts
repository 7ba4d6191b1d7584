import type { Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, sysctl } from './labCommands.ts';

const VARIANTS = [
  'ok',
  'isolated',
  'bcast-flood-off',
  'stale-fdb',
  'stale-fdb-static',
  'stale-fdb-sticky',
  'stale-fdb-no-arp',
] as const;
type Variant = (typeof VARIANTS)[number];

/**
 * A bridge br0 (10.9.0.1) with three pods on one node, as a bridge CNI plumbs them: a (.2), b (.3)
 * and c (.4) behind ports va, vb, vc. Each fault is one port flag (`bridge link set`): in
 * `isolated` va and vb are isolated ports (the bridge CNI's portIsolation), which exchange nothing
 * while both still reach c and the node; `bcast-flood-off` keeps ARP broadcasts from a away from b
 * (what the node itself broadcasts still goes out), while b still pings a: b's own request reaches
 * a, which answers and keeps b's MAC from it, so a's reply needs no broadcast. `ok` is fault-free. (A port with learning and
 * flood off is unit-tested only: the probe cannot tie the flooded copy's drop to its packet.)
 *
 * The `stale-fdb` variants leave b's MAC in br0's fdb behind c's port vc (a pod recreated, a MAC
 * reused), b silent since (IPv6 off, so no solicitation or router solicitation of its own corrects
 * it). In `stale-fdb` (a `dynamic` entry) and `stale-fdb-static` a's ARP request floods, b's answer
 * comes in by vb and moves the entry: a reaches b. A `sticky` entry never moves (`stale-fdb-sticky`),
 * and without an ARP exchange (`stale-fdb-no-arp`: a holds b's MAC as a permanent neighbour) nothing
 * corrects it: a's frames go to c, whose eth0 drops them as for another host.
 */
export const bridgePorts: Scenario = {
  name: 'bridge-ports',
  description: 'bridge port flags: isolated ports, broadcast flooding off',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const node = `${prefix}n`;
    const pods = [
      { name: 'a', ns: `${prefix}n-a`, ip: '10.9.0.2' },
      { name: 'b', ns: `${prefix}n-b`, ip: '10.9.0.3' },
      { name: 'c', ns: `${prefix}n-c`, ip: '10.9.0.4' },
    ] as const;
    const [a, b, c] = pods;
    const flags: Partial<Record<Variant, Record<string, string[]>>> = {
      isolated: { va: ['isolated', 'on'], vb: ['isolated', 'on'] },
      'bcast-flood-off': { vb: ['bcast_flood', 'off'] },
    };
    const staleFdb: Partial<Record<Variant, string[]>> = {
      'stale-fdb': ['dynamic'],
      'stale-fdb-static': ['static'],
      'stale-fdb-sticky': ['static', 'sticky'],
      'stale-fdb-no-arp': ['dynamic'],
    };
    const stale = staleFdb[variant];
    const bMac = '02:00:0a:09:00:03';
    const commands: string[][] = [
      ip(node, 'link', 'set', 'lo', 'up'),
      ip(node, 'link', 'add', 'br0', 'type', 'bridge'),
      ip(node, 'addr', 'add', '10.9.0.1/24', 'dev', 'br0'),
      ip(node, 'link', 'set', 'br0', 'up'),
    ];
    for (const p of pods) {
      const port = `v${p.name}`;
      const set = flags[variant]?.[port];
      const silent = stale && p === b;
      commands.push(
        ip(p.ns, 'link', 'set', 'lo', 'up'),
        // b sends nothing of its own (no IPv6 solicitations) that would correct a stale fdb entry.
        ...(silent
          ? [sysctl(p.ns, 'net.ipv6.conf.all.disable_ipv6=1'), sysctl(p.ns, 'net.ipv6.conf.default.disable_ipv6=1')]
          : []),
        ip(
          node,
          'link',
          'add',
          port,
          'type',
          'veth',
          'peer',
          'name',
          'eth0',
          ...(silent ? ['address', bMac] : []),
          'netns',
          p.ns,
        ),
        ip(node, 'link', 'set', port, 'master', 'br0', 'up'),
        // Before the pod's first frame: a port that learns nothing must not have learnt it already.
        ...(set ? [['bridge', '-n', node, 'link', 'set', 'dev', port, ...set]] : []),
        ip(p.ns, 'addr', 'add', `${p.ip}/24`, 'dev', 'eth0'),
        ip(p.ns, 'link', 'set', 'eth0', 'up'),
      );
    }
    if (stale) {
      commands.push(['bridge', '-n', node, 'fdb', 'replace', bMac, 'dev', 'vc', 'master', ...stale]);
      if (variant === 'stale-fdb-no-arp')
        commands.push(ip(a.ns, 'neigh', 'replace', b.ip, 'lladdr', bMac, 'dev', 'eth0', 'nud', 'permanent'));
    }
    const flow = (from: (typeof pods)[number] | 'node', to: string, expectDrop?: string): Flow => {
      const ns = from === 'node' ? node : from.ns;
      return { from: { host: 'n', netns: ns }, to, pingNetns: ns, ...(expectDrop ? { expectDrop } : {}) };
    };
    // b → a comes after a → b: once b's ARP request has reached a, a holds an entry for b and
    // would ping b by unicast, which b's port takes even with bcast_flood off.
    const flows: Record<Variant, Flow[]> = {
      ok: [flow(a, b.ip), flow(a, c.ip), flow('node', b.ip), flow(b, a.ip)],
      isolated: [flow(a, b.ip, 'NEIGH_FAILED'), flow(a, c.ip), flow('node', b.ip), flow(b, a.ip, 'NEIGH_FAILED')],
      'bcast-flood-off': [flow(a, b.ip, 'NEIGH_FAILED'), flow('node', b.ip), flow(b, a.ip)],
      'stale-fdb': [flow(a, b.ip)],
      'stale-fdb-static': [flow(a, b.ip)],
      'stale-fdb-sticky': [flow(a, b.ip, 'OTHERHOST')],
      'stale-fdb-no-arp': [flow(a, b.ip, 'OTHERHOST')],
    };
    return {
      scenario: 'bridge-ports',
      variant,
      prefix,
      namespaces: [node, ...pods.map((p) => p.ns)],
      commands,
      hostMap: { hosts: [{ name: 'n', kind: 'node', root: node, netns: pods.map((p) => p.ns) }] },
      flows: flows[variant],
      // A sticky entry never heals; a dynamic or static one moves at b's next frame (info only).
      expected:
        variant === 'stale-fdb-sticky'
          ? [{ rule: 'bridge-fdb-stale', subjects: [`n/${node}/br0`, `n/${node}/vc`, `n/${node}/vb`] }]
          : [],
    };
  },
};
