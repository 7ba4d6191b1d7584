import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, podVeth, sysctl } from './labCommands.ts';

const VARIANTS = [
  'forward',
  'no-forward',
  'force-forwarding',
  'ipv6-disabled',
  'tentative',
  'link-local-source',
] as const;
type Variant = (typeof VARIANTS)[number];

const MAC = { ra: '02:00:00:6a:00:01', rc: '02:00:00:6a:00:02', a: '02:00:00:6a:00:0a', c: '02:00:00:6a:00:0c' };

/**
 * IPv6 between two pods (fd00:a::2, fd00:c::2) through their node (fd00:a::1 on ra, fd00:c::1 on
 * rc), with permanent neighbour entries everywhere: the tracer does not follow neighbour discovery
 * yet (issue 15). `forward` is fault-free; `no-forward` leaves net.ipv6.conf.all.forwarding off
 * (each device's own forwarding on, which forwards nothing); `force-forwarding` forwards by the
 * devices' force_forwarding alone; `ipv6-disabled` disables IPv6 on ra, as a node setting
 * default.disable_ipv6 does for new devices, so the pod's packets die where they arrive.
 * `tentative` leaves c's address in duplicate address detection for the whole test (100 probes a
 * minute apart): until it ends the address is not c's — no local route, no answer to a
 * solicitation — and a's ping dies at c, though the node's neighbour entry carries it there.
 * `link-local-source` gives a no global address, only fe80::a (its default route on-link): its
 * packets leave from that, and the node, which would route them off their link, refuses them.
 */
export const ipv6Paths: Scenario = {
  name: 'ipv6',
  description: 'IPv6 forwarding (conf.all, force_forwarding, a device\u2019s own) and IPv6 disabled on a path',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const a = `${prefix}a`;
    const r = `${prefix}r`;
    const c = `${prefix}c`;
    const disabled = variant === 'ipv6-disabled';
    const all = variant === 'no-forward' || variant === 'force-forwarding' ? '0' : '1';
    const commands: string[][] = [
      podVeth(r, 'ra', MAC.ra, a, MAC.a),
      podVeth(r, 'rc', MAC.rc, c, MAC.c),
      ...(disabled ? [sysctl(r, 'net.ipv6.conf.ra.disable_ipv6=1')] : []),
      sysctl(r, `net.ipv6.conf.all.forwarding=${all}`),
      ...(variant === 'no-forward' ? ['ra', 'rc'].map((d) => sysctl(r, `net.ipv6.conf.${d}.forwarding=1`)) : []),
      ...(variant === 'force-forwarding'
        ? ['ra', 'rc'].map((d) => sysctl(r, `net.ipv6.conf.${d}.force_forwarding=1`))
        : []),
      ...['ra', 'rc', 'lo'].map((d) => ip(r, 'link', 'set', d, 'up')),
      ...(disabled ? [] : [ip(r, 'addr', 'add', 'fd00:a::1/64', 'dev', 'ra', 'nodad')]),
      ip(r, 'addr', 'add', 'fd00:c::1/64', 'dev', 'rc', 'nodad'),
      ...(disabled ? [] : [ip(r, 'neigh', 'replace', 'fd00:a::2', 'lladdr', MAC.a, 'dev', 'ra', 'nud', 'permanent')]),
      ip(r, 'neigh', 'replace', 'fd00:c::2', 'lladdr', MAC.c, 'dev', 'rc', 'nud', 'permanent'),
    ];
    const linkLocalOnly = (ns: string): boolean => variant === 'link-local-source' && ns === a;
    for (const [ns, net, gwMac] of [
      [a, 'a', MAC.ra],
      [c, 'c', MAC.rc],
    ] as const) {
      const slowDad = variant === 'tentative' && ns === c;
      commands.push(
        ip(ns, 'link', 'set', 'lo', 'up'),
        ...(slowDad
          ? [
              sysctl(ns, 'net.ipv6.conf.eth0.dad_transmits=100'),
              sysctl(ns, 'net.ipv6.neigh.eth0.retrans_time_ms=60000'),
            ]
          : []),
        ...(linkLocalOnly(ns) ? [sysctl(ns, 'net.ipv6.conf.eth0.addr_gen_mode=1')] : []),
        ip(ns, 'link', 'set', 'eth0', 'up'),
        linkLocalOnly(ns)
          ? ip(ns, 'addr', 'add', 'fe80::a/64', 'dev', 'eth0', 'nodad')
          : ip(ns, 'addr', 'add', `fd00:${net}::2/64`, 'dev', 'eth0', ...(slowDad ? [] : ['nodad'])),
        ip(ns, 'neigh', 'replace', `fd00:${net}::1`, 'lladdr', gwMac, 'dev', 'eth0', 'nud', 'permanent'),
        ip(
          ns,
          '-6',
          'route',
          'add',
          'default',
          'via',
          `fd00:${net}::1`,
          'dev',
          'eth0',
          ...(linkLocalOnly(ns) ? ['onlink'] : []),
        ),
      );
    }
    const flow = (expectDrop?: string): Flow => ({
      from: { host: 'node', netns: a },
      to: 'fd00:c::2',
      pingNetns: a,
      ...(expectDrop ? { expectDrop } : {}),
    });
    const flows: Record<Variant, Flow[]> = {
      forward: [flow()],
      'no-forward': [flow('IP_INADDRERRORS')],
      'force-forwarding': [flow()],
      'ipv6-disabled': [flow('IPV6DISABLED')],
      tentative: [flow('IP_INADDRERRORS')],
      'link-local-source': [flow('IP_INADDRERRORS')],
    };
    const expected: Record<Variant, ExpectedFinding[]> = {
      forward: [],
      'no-forward': [{ rule: 'forwarding-disabled', subjects: [`node/${r}`] }],
      'force-forwarding': [],
      'ipv6-disabled': [{ rule: 'ipv6-disabled-on-path', subjects: [`node/${r}/ra`, `node/${a}/eth0`] }],
      tentative: [],
      'link-local-source': [],
    };
    return {
      scenario: 'ipv6',
      variant,
      prefix,
      namespaces: [a, r, c],
      commands,
      hostMap: { hosts: [{ name: 'node', kind: 'node', root: r, netns: [a, c] }] },
      flows: flows[variant],
      expected: expected[variant],
    };
  },
};
