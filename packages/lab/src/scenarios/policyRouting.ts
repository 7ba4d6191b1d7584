import type { Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, iptables, podVeth, sysctl } from './labCommands.ts';

const VARIANTS = [
  'ok',
  'other-subnet-first',
  'route-src',
  'onlink',
  'mark-missing-table',
  'mark-blackhole',
  'output-mark',
] as const;
type Variant = (typeof VARIANTS)[number];

const MAC = { r1: '02:00:00:6c:00:01', r2: '02:00:00:6c:00:02', a: '02:00:00:6c:00:0a', b: '02:00:00:6c:00:0b' };
const A = '10.62.1.2';
const B = '10.62.2.2';
/** An address of pod a's in a subnet nobody routes back to. */
const STRAY = '10.72.0.2';

const DROPS: Record<Variant, Partial<Flow>> = {
  ok: {},
  'other-subnet-first': {},
  'route-src': { expectDrop: 'IP_INNOROUTES' },
  onlink: {},
  'mark-missing-table': {},
  'mark-blackhole': { expectDrop: 'NOT_SPECIFIED', expectDropIn: 'ip_error' },
  'output-mark': { expectDrop: 'NETFILTER_DROP' },
};

/** The MARK rule and the `fwmark` rule of the mark variants, and table 100's route. */
function marks(variant: Variant, a: string, r: string): string[][] {
  if (!variant.includes('mark')) return [];
  const at = variant === 'output-mark' ? a : r;
  const chain = variant === 'output-mark' ? 'OUTPUT' : 'PREROUTING';
  const table100 = {
    'mark-missing-table': [],
    'mark-blackhole': [ip(r, 'route', 'add', 'blackhole', '10.62.2.0/24', 'table', '100')],
    'output-mark': [ip(a, 'route', 'add', 'unreachable', '10.62.2.0/24', 'table', '100')],
  }[variant as 'mark-missing-table' | 'mark-blackhole' | 'output-mark'];
  return [
    iptables(at, '-t', 'mangle', '-A', chain, '-d', B, '-j', 'MARK', '--set-mark', '0x1'),
    ip(at, 'rule', 'add', 'fwmark', '0x1', 'lookup', '100', 'pref', '100'),
    ...table100,
  ];
}

/**
 * Routing decisions beyond the main table. The source address the kernel picks for a namespace's own packet: pod a (10.62.1.2) pings pod b
 * (10.62.2.2) through node r, which routes nothing to 10.72.0.0/24. `ok` is fault-free.
 * `other-subnet-first`: a holds 10.72.0.2/24 on eth0 before its own, and the kernel still sends
 * from 10.62.1.2 — the primary address in its gateway's subnet (`inet_select_addr`), not the
 * device's first. `route-src`: a's route to b says `src 10.72.0.2`, so b's reply has no way back
 * (r has no route: IP_INNOROUTES). `onlink`: a holds 10.62.1.2/32 only, and reaches its gateway by
 * `default via 10.62.1.1 dev eth0 onlink`. Marks: r's mangle PREROUTING marks packets to b 0x1,
 * and `fwmark 0x1 lookup 100` sends them to table 100 — which has no routes in
 * `mark-missing-table` (the lookup falls through to main: delivered) and blackholes b's subnet in
 * `mark-blackhole` (`ip_error`). `output-mark`: a marks its own packets to b in mangle OUTPUT, and
 * the re-route (`ip_route_me_harder`) meets table 100's `unreachable` route.
 */
export const policyRouting: Scenario = {
  name: 'policy-routing',
  description:
    'routing beyond main: the source a namespace sends from (gateway subnet, `src`, onlink), fwmark rules set by MARK',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const a = `${prefix}a`;
    const r = `${prefix}r`;
    const b = `${prefix}b`;
    const commands: string[][] = [
      podVeth(r, 'r1', MAC.r1, a, MAC.a),
      podVeth(r, 'r2', MAC.r2, b, MAC.b),
      sysctl(r, 'net.ipv4.ip_forward=1'),
      ...['r1', 'r2', 'lo'].map((d) => ip(r, 'link', 'set', d, 'up')),
      ip(r, 'addr', 'add', '10.62.1.1/24', 'dev', 'r1'),
      ip(r, 'addr', 'add', '10.62.2.1/24', 'dev', 'r2'),
      ...[a, b].flatMap((ns) => [ip(ns, 'link', 'set', 'lo', 'up'), ip(ns, 'link', 'set', 'eth0', 'up')]),
      ...(variant === 'other-subnet-first' ? [ip(a, 'addr', 'add', `${STRAY}/24`, 'dev', 'eth0')] : []),
      ip(a, 'addr', 'add', `${A}/${variant === 'onlink' ? 32 : 24}`, 'dev', 'eth0'),
      variant === 'onlink'
        ? ip(a, 'route', 'add', 'default', 'via', '10.62.1.1', 'dev', 'eth0', 'onlink')
        : ip(a, 'route', 'add', '10.62.2.0/24', 'via', '10.62.1.1', 'dev', 'eth0'),
      ...(variant === 'route-src'
        ? [
            ip(a, 'addr', 'add', `${STRAY}/32`, 'dev', 'lo'),
            ip(a, 'route', 'replace', '10.62.2.0/24', 'via', '10.62.1.1', 'dev', 'eth0', 'src', STRAY),
          ]
        : []),
      ...marks(variant, a, r),
      ip(b, 'addr', 'add', `${B}/24`, 'dev', 'eth0'),
      ip(b, 'route', 'add', 'default', 'via', '10.62.2.1', 'dev', 'eth0'),
    ];
    const flow: Flow = {
      from: { host: 'node', netns: a },
      to: B,
      pingNetns: a,
      ...DROPS[variant],
    };
    return {
      scenario: 'policy-routing',
      variant,
      prefix,
      namespaces: [a, r, b],
      commands,
      hostMap: { hosts: [{ name: 'node', kind: 'node', root: r, netns: [a, b] }] },
      flows: [flow],
      expected: [],
    };
  },
};
