import type { Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, ip6tables, iptables, podVeth, sysctl } from './labCommands.ts';

const VARIANTS = ['ok', 'local', 'forward', 'forward-lock', 'forward-drop'] as const;
type Variant = (typeof VARIANTS)[number];

const MAC = { r1: '02:00:00:6b:00:01', r2: '02:00:00:6b:00:02', a: '02:00:00:6b:00:0a', b: '02:00:00:6b:00:0b' };
const B4 = '10.61.2.2';
const B6 = 'fd61:2::2';
/** 1400 bytes of payload: a 1428-byte IPv4 and a 1448-byte IPv6 packet, over the routes' 1400. */
const SIZE = 1400;

/**
 * A route's own MTU (`ip route … mtu 1400`, RTAX_MTU) on 1500-byte links: pod a (10.61.1.2,
 * fd61:1::2) reaches pod b (10.61.2.2, fd61:2::2) through node r. `ok` sets none (fault-free).
 * `local`: a's route to b's network sets 1400, so a's own 1428-byte ping with DF is refused at send
 * (without DF it is fragmented, as is its 1448-byte IPv6 ping, by a itself). `forward`:
 * the node's routes to b set 1400, which a forwarded IPv4 packet with DF must fit (`ip_forward`);
 * a forwarded IPv6 one passes `ip6_forward` (held to the device's 1500) and dies in `ip6_fragment`,
 * while `forward-lock` (`mtu lock 1400`) has `ip6_forward` itself answer Packet Too Big.
 * `forward-drop` is `forward` with the node's FORWARD chains dropping everything to b: `ip_forward`
 * checks the MTU before the FORWARD hook, so the IPv4 ping with DF dies of PKT_TOO_BIG there, the
 * one without DF of the firewall; the IPv6 one passes `ip6_forward` (1500) and meets the firewall.
 * IPv6 neighbours are permanent: the tracer does not follow neighbour discovery yet.
 */
export const routeMtu: Scenario = {
  name: 'route-mtu',
  description: 'a route’s own MTU (and mtu lock) below its device’s, on the sender and on a router',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const a = `${prefix}a`;
    const r = `${prefix}r`;
    const b = `${prefix}b`;
    const mtu = (lock: boolean): string[] => (lock ? ['mtu', 'lock', '1400'] : ['mtu', '1400']);
    const onNode = variant.startsWith('forward') ? mtu(variant === 'forward-lock') : [];
    const onPod = variant === 'local' ? mtu(false) : [];
    const commands: string[][] = [
      podVeth(r, 'r1', MAC.r1, a, MAC.a),
      podVeth(r, 'r2', MAC.r2, b, MAC.b),
      sysctl(r, 'net.ipv4.ip_forward=1'),
      sysctl(r, 'net.ipv6.conf.all.forwarding=1'),
      ...['r1', 'r2', 'lo'].map((d) => ip(r, 'link', 'set', d, 'up')),
      ip(r, 'addr', 'add', '10.61.1.1/24', 'dev', 'r1'),
      ip(r, 'addr', 'add', '10.61.2.1/24', 'dev', 'r2'),
      ip(r, 'addr', 'add', 'fd61:1::1/64', 'dev', 'r1', 'nodad'),
      ip(r, 'addr', 'add', 'fd61:2::1/64', 'dev', 'r2', 'nodad'),
      ip(r, 'neigh', 'replace', 'fd61:1::2', 'lladdr', MAC.a, 'dev', 'r1', 'nud', 'permanent'),
      ip(r, 'neigh', 'replace', B6, 'lladdr', MAC.b, 'dev', 'r2', 'nud', 'permanent'),
      // Host routes beside the connected ones: the node's path to b alone carries the MTU.
      ip(r, 'route', 'add', B4, 'dev', 'r2', ...onNode),
      ip(r, '-6', 'route', 'add', B6, 'dev', 'r2', ...onNode),
      ...(variant === 'forward-drop'
        ? [iptables(r, '-A', 'FORWARD', '-d', B4, '-j', 'DROP'), ip6tables(r, '-A', 'FORWARD', '-d', B6, '-j', 'DROP')]
        : []),
    ];
    for (const [ns, net, gwMac] of [
      [a, '1', MAC.r1],
      [b, '2', MAC.r2],
    ] as const) {
      const other = net === '1' ? '2' : '1';
      commands.push(
        ip(ns, 'link', 'set', 'lo', 'up'),
        ip(ns, 'link', 'set', 'eth0', 'up'),
        ip(ns, 'addr', 'add', `10.61.${net}.2/24`, 'dev', 'eth0'),
        ip(ns, 'addr', 'add', `fd61:${net}::2/64`, 'dev', 'eth0', 'nodad'),
        ip(ns, 'neigh', 'replace', `fd61:${net}::1`, 'lladdr', gwMac, 'dev', 'eth0', 'nud', 'permanent'),
        ip(
          ns,
          'route',
          'add',
          `10.61.${other}.0/24`,
          'via',
          `10.61.${net}.1`,
          'dev',
          'eth0',
          ...(ns === a ? onPod : []),
        ),
        ip(
          ns,
          '-6',
          'route',
          'add',
          `fd61:${other}::/64`,
          'via',
          `fd61:${net}::1`,
          'dev',
          'eth0',
          ...(ns === a ? onPod : []),
        ),
      );
    }
    const flow = (to: string, df: boolean, expectDrop?: string, expectDropIn?: string): Flow => ({
      from: { host: 'node', netns: a },
      to,
      pingNetns: a,
      size: SIZE,
      ...(df ? { df } : {}),
      ...(expectDrop ? { expectDrop } : {}),
      ...(expectDropIn ? { expectDropIn } : {}),
    });
    // Forwarded, the IPv6 pings set DF too: the Packet Too Big the probe's packet meets teaches a its
    // path MTU, after which a ping without DF would be fragmented by a and arrive.
    const flows: Record<Variant, Flow[]> = {
      ok: [flow(B4, true), flow(B6, false)],
      local: [flow(B4, true, 'EMSGSIZE'), flow(B4, false), flow(B6, false)],
      forward: [flow(B4, true, 'PKT_TOO_BIG'), flow(B4, false), flow(B6, true, 'NOT_SPECIFIED', 'ip6_fragment')],
      'forward-lock': [flow(B4, true, 'PKT_TOO_BIG'), flow(B6, true, 'PKT_TOO_BIG', 'ip6_forward')],
      'forward-drop': [
        flow(B4, true, 'PKT_TOO_BIG'),
        flow(B4, false, 'NETFILTER_DROP'),
        flow(B6, true, 'NETFILTER_DROP'),
      ],
    };
    return {
      scenario: 'route-mtu',
      variant,
      prefix,
      namespaces: [a, r, b],
      commands,
      hostMap: { hosts: [{ name: 'node', kind: 'node', root: r, netns: [a, b] }] },
      flows: flows[variant],
      expected: variant === 'forward-drop' ? [{ rule: 'filter-drop', subjects: [`node/${r}`] }] : [],
    };
  },
};
