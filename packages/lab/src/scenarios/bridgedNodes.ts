import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';

const VARIANTS = [
  'ok',
  'no-forward',
  'stale-arp',
  'veth-detached',
  'duplicate-ip',
  'duplicate-mac',
  'mtu',
  'no-route',
  'policy-ok',
  'policy-blackhole',
  'policy-ipproto',
  'gateway-failed',
  'link-down',
] as const;
type Variant = (typeof VARIANTS)[number];

/** A MAC that no interface has: what an ARP entry keeps after its pod was replaced. */
const GONE_MAC = '0a:58:de:ad:be:ef';
/** A gateway address in node-a's pod subnet that nobody holds. */
const GONE_GATEWAY = '10.244.1.254';

/**
 * Two nodes with a bridge CNI (cni0, one /24 of pod IPs each, two pods per node), joined by an
 * underlay link with a route to each other's pod subnet. Pods on one node talk through the bridge;
 * across nodes the roots forward. `ok` and `policy-ok` (node-a routes pod traffic by a policy rule
 * and its own table) are fault-free; every other variant breaks one thing (DESIGN §5).
 * `policy-ipproto`: node-a blackholes TCP (pings pass) and the ICMP of pod .3 (its pings die), and
 * has tos, tun_id and l3mdev rules that no ping meets.
 */
export const bridgedNodes: Scenario = {
  name: 'bridged-nodes',
  description: 'bridge CNI on two routed nodes, two pods each, one variant per bridge and routing fault',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const nodes = [
      { name: 'node-a', ns: `${prefix}na`, subnet: '10.244.1', underlay: '192.168.210.1', nic: 'ens3' },
      { name: 'node-b', ns: `${prefix}nb`, subnet: '10.244.2', underlay: '192.168.210.2', nic: 'ens4' },
    ] as const;
    const [a, b] = nodes;
    const pa2 = `${a.ns}-p2`;
    const pa3 = `${a.ns}-p3`;
    const pb2 = `${b.ns}-p2`;
    const pb3 = `${b.ns}-p3`;
    const commands: string[][] = [
      ['ip', 'link', 'add', 'ens3', 'netns', a.ns, 'type', 'veth', 'peer', 'name', 'ens4', 'netns', b.ns],
    ];
    const policy = variant === 'policy-ok' || variant === 'policy-blackhole';
    /** The pod each single-pod fault is built into. */
    const target: Partial<Record<Variant, string>> = {
      'duplicate-ip': pa3,
      'veth-detached': pa3,
      mtu: pa3,
      'no-route': pa2,
      'gateway-failed': pa2,
      'link-down': pb3,
    };
    for (const [i, n] of nodes.entries()) {
      const other = nodes[1 - i]!;
      const ip = (...args: string[]): string[] => ['ip', '-n', n.ns, ...args];
      const forward = variant === 'no-forward' && n.name === 'node-b' ? '0' : '1';
      commands.push(
        ['ip', 'netns', 'exec', n.ns, 'sysctl', '-q', '-w', `net.ipv4.ip_forward=${forward}`],
        ip('addr', 'add', `${n.underlay}/24`, 'dev', n.nic),
        ip('link', 'set', n.nic, 'up'),
        ip('link', 'add', 'cni0', 'type', 'bridge'),
        ip('addr', 'add', `${n.subnet}.1/24`, 'dev', 'cni0'),
        ip('link', 'set', 'cni0', 'up'),
      );
      const toOther = ['route', 'add', `${other.subnet}.0/24`, 'via', other.underlay, 'dev', n.nic];
      if (policy && n.name === 'node-a') {
        // Pod traffic (from the pod subnet) is routed by table 100; the main table knows no way there.
        commands.push(ip('rule', 'add', 'from', `${n.subnet}.0/24`, 'lookup', '100', 'pref', '100'));
        commands.push(
          variant === 'policy-ok'
            ? ip(...toOther, 'table', '100')
            : ip('route', 'add', 'blackhole', `${other.subnet}.0/24`, 'table', '100'),
        );
      } else {
        commands.push(ip(...toOther));
      }
      if (variant === 'policy-ipproto' && n.name === 'node-a') {
        // Only TCP meets the first blackhole; only the ICMP of pod .3 meets the second.
        commands.push(ip('rule', 'add', 'ipproto', 'tcp', 'blackhole', 'pref', '90'));
        commands.push(ip('rule', 'add', 'from', `${n.subnet}.3`, 'ipproto', 'icmp', 'blackhole', 'pref', '91'));
        // Rules whose other selectors no ping meets: TOS 0x10 (pings send 0), a tunnel id (none
        // came by a tunnel), l3mdev (no VRF here). Each, read as matching every packet, kills them all.
        commands.push(ip('rule', 'add', 'tos', '0x10', 'blackhole', 'pref', '85'));
        commands.push(ip('rule', 'add', 'tun_id', '5', 'blackhole', 'pref', '86'));
        commands.push(ip('rule', 'add', 'l3mdev', 'pref', '87'));
      }
      for (const p of [2, 3]) {
        const pod = `${n.ns}-p${p}`;
        const here = (v: Variant): boolean => variant === v && target[v] === pod;
        const pip = (...args: string[]): string[] => ['ip', '-n', pod, ...args];
        const podIp = here('duplicate-ip') ? `${n.subnet}.2` : `${n.subnet}.${p}`;
        commands.push(
          ip('link', 'add', `veth${p}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod),
          ...(here('veth-detached') ? [] : [ip('link', 'set', `veth${p}`, 'master', 'cni0')]),
          ...(here('mtu') ? [ip('link', 'set', `veth${p}`, 'mtu', '1400')] : []),
          ip('link', 'set', `veth${p}`, 'up'),
          pip('link', 'set', 'lo', 'up'),
          pip('addr', 'add', `${podIp}/24`, 'dev', 'eth0'),
          ...(here('link-down') ? [] : [pip('link', 'set', 'eth0', 'up')]),
        );
        if (here('no-route') || here('link-down')) continue;
        if (here('gateway-failed')) {
          // The route names a gateway nobody holds; ARP for it has already failed once.
          commands.push(pip('route', 'add', 'default', 'via', GONE_GATEWAY));
          commands.push(pip('neigh', 'add', GONE_GATEWAY, 'dev', 'eth0', 'nud', 'failed'));
        } else {
          commands.push(pip('route', 'add', 'default', 'via', `${n.subnet}.1`));
        }
      }
    }
    // Pod p3 on node-a is a copy of p2's MAC, or p2 keeps a stale entry for p3.
    if (variant === 'duplicate-mac') {
      commands.push(['ip', '-n', pa2, 'link', 'set', 'eth0', 'address', '0a:58:0a:f4:01:02']);
      commands.push(['ip', '-n', pa3, 'link', 'set', 'eth0', 'address', '0a:58:0a:f4:01:02']);
    }
    if (variant === 'stale-arp') {
      commands.push([
        'ip',
        '-n',
        pa2,
        'neigh',
        'replace',
        `${a.subnet}.3`,
        'lladdr',
        GONE_MAC,
        'dev',
        'eth0',
        'nud',
        'permanent',
      ]);
    }

    const s = (host: string, ns: string, dev?: string): string => `${host}/${ns}${dev ? `/${dev}` : ''}`;
    const expected: Record<Variant, ExpectedFinding[]> = {
      ok: [],
      'policy-ok': [],
      'no-forward': [{ rule: 'forwarding-disabled', subjects: [s('node-b', b.ns)] }],
      'stale-arp': [{ rule: 'neighbor-mac-mismatch', subjects: [s('node-a', pa2, 'eth0'), s('node-a', pa3, 'eth0')] }],
      'veth-detached': [
        { rule: 'veth-peer-missing', subjects: [s('node-a', a.ns, 'veth3'), s('node-a', pa3, 'eth0')] },
      ],
      'duplicate-ip': [{ rule: 'duplicate-ip', subjects: [s('node-a', pa2, 'eth0'), s('node-a', pa3, 'eth0')] }],
      'duplicate-mac': [{ rule: 'duplicate-mac', subjects: [s('node-a', pa2, 'eth0'), s('node-a', pa3, 'eth0')] }],
      mtu: [{ rule: 'mtu-mismatch', subjects: [s('node-a', pa3, 'eth0'), s('node-a', a.ns, 'veth3')] }],
      'no-route': [{ rule: 'route-missing', subjects: [s('node-a', pa2)] }],
      'policy-blackhole': [{ rule: 'route-missing', subjects: [s('node-a', a.ns)] }],
      // No rule names a blackhole that only some protocols meet: the trace does.
      'policy-ipproto': [],
      'gateway-failed': [{ rule: 'neighbor-failed', subjects: [s('node-a', pa2, 'eth0')] }],
      'link-down': [
        { rule: 'link-down', subjects: [s('node-b', pb3, 'eth0')] },
        { rule: 'veth-peer-missing', subjects: [s('node-b', b.ns, 'veth3'), s('node-b', pb3, 'eth0')] },
        // The kernel deleted the pod's routes with its device; up again, it still has none.
        { rule: 'route-missing', subjects: [s('node-b', pb3)] },
      ],
    };
    const flow = (host: string, ns: string, to: string, extra: Partial<Flow> = {}): Flow => ({
      from: { host, netns: ns },
      to,
      pingNetns: ns,
      ...extra,
    });
    const flows: Record<Variant, Flow[]> = {
      ok: [
        flow('node-a', pa2, `${a.subnet}.3`),
        flow('node-a', pa2, `${b.subnet}.2`),
        flow('node-b', pb3, `${a.subnet}.3`),
        flow('node-a', a.ns, `${a.subnet}.2`),
        flow('node-a', pa3, `${a.subnet}.1`, { size: 1472, df: true }),
      ],
      'no-forward': [
        flow('node-a', pa2, `${a.subnet}.3`),
        flow('node-a', pa2, `${b.subnet}.2`, { expectDrop: 'IP_INADDRERRORS' }),
        flow('node-b', pb3, `${a.subnet}.3`, { expectDrop: 'IP_INADDRERRORS' }),
        flow('node-a', a.ns, `${a.subnet}.2`),
      ],
      'stale-arp': [
        flow('node-a', pa2, `${a.subnet}.3`, { expectDrop: 'OTHERHOST' }),
        flow('node-a', pa3, `${a.subnet}.2`, { expectDrop: 'OTHERHOST' }),
      ],
      'veth-detached': [
        flow('node-a', a.ns, `${a.subnet}.3`, { expectDrop: 'NEIGH_FAILED' }),
        flow('node-a', a.ns, `${a.subnet}.2`),
      ],
      'duplicate-ip': [flow('node-a', pa3, `${a.subnet}.2`), flow('node-b', pb2, `${b.subnet}.3`)],
      'duplicate-mac': [flow('node-b', pb2, `${b.subnet}.3`), flow('node-b', pb3, `${b.subnet}.1`)],
      mtu: [
        flow('node-a', pa3, `${a.subnet}.1`),
        flow('node-a', pa3, `${a.subnet}.1`, {
          size: 1472,
          df: true,
          expectDrop: 'NOT_SPECIFIED',
          expectDropIn: '__dev_forward_skb',
        }),
        flow('node-a', a.ns, `${a.subnet}.3`, { size: 1472, df: true, expectDrop: 'EMSGSIZE' }),
        // Fragmented on the way in, but the pod's 1500-byte reply is too big for veth3.
        flow('node-a', a.ns, `${a.subnet}.3`, {
          size: 1472,
          expectDrop: 'NOT_SPECIFIED',
          expectDropIn: '__dev_forward_skb',
        }),
        flow('node-a', pa2, `${a.subnet}.1`, { size: 1472, df: true }),
      ],
      'no-route': [
        flow('node-a', pa2, `${b.subnet}.2`, { expectDrop: 'ENETUNREACH' }),
        flow('node-a', pa2, `${a.subnet}.3`),
      ],
      // From node-a's root the source is not chosen yet, so the `from` rule does not match it.
      'policy-ok': [
        flow('node-a', pa2, `${b.subnet}.2`),
        flow('node-b', pb2, `${a.subnet}.3`),
        flow('node-a', a.ns, `${b.subnet}.2`, { expectDrop: 'ENETUNREACH' }),
      ],
      'policy-blackhole': [
        flow('node-a', pa2, `${b.subnet}.2`, { expectDrop: 'NOT_SPECIFIED', expectDropIn: 'ip_error' }),
        flow('node-a', pa2, `${a.subnet}.3`),
      ],
      'policy-ipproto': [
        flow('node-a', pa2, `${b.subnet}.2`),
        flow('node-a', pa3, `${b.subnet}.2`, { expectDrop: 'NOT_SPECIFIED', expectDropIn: 'ip_error' }),
      ],
      'gateway-failed': [
        flow('node-a', pa2, `${b.subnet}.2`, { expectDrop: 'NEIGH_FAILED' }),
        flow('node-a', pa3, `${b.subnet}.2`),
      ],
      'link-down': [
        flow('node-b', b.ns, `${b.subnet}.3`, { expectDrop: 'NEIGH_FAILED' }),
        flow('node-b', b.ns, `${b.subnet}.2`),
      ],
    };
    return {
      scenario: 'bridged-nodes',
      variant,
      prefix,
      namespaces: [a.ns, b.ns, pa2, pa3, pb2, pb3],
      commands,
      hostMap: {
        hosts: nodes.map((n) => ({
          name: n.name,
          kind: 'node' as const,
          root: n.ns,
          netns: [`${n.ns}-p2`, `${n.ns}-p3`],
        })),
      },
      flows: flows[variant],
      expected: expected[variant],
    };
  },
};
