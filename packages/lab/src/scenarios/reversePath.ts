import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, sysctl } from './labCommands.ts';

const VARIANTS = [
  'symmetric',
  'rp-strict',
  'rp-loose',
  'local-source',
  'local-source-arp',
  'node-no-route',
  'echo-ignored',
] as const;
type Variant = (typeof VARIANTS)[number];

const POD_IP = '10.244.1.2';
const GATEWAY_IP = '10.244.1.1';
/** The node's side of the pod's veth, with a fixed MAC for the pod's permanent neighbour entry. */
const GATEWAY_MAC = '0a:58:0a:f4:01:01';
const REMOTE_IP = '10.250.0.1';

/**
 * The kernel's source checks in the input routing decision (`fib_validate_source`). A pod behind a
 * node with two links (ens3, ens4) to a gateway namespace that holds 10.250.0.1 and routes the pod
 * subnet back by ens3; the pod keeps a permanent neighbour entry for its gateway (as Calico and
 * Cilium do). `symmetric` is fault-free with strict rp_filter on the gateway; `rp-strict` routes the
 * node's traffic for 10.250.0.1 by ens4, where strict filtering (conf.all=1) drops it; `rp-loose`
 * is the same path with ens4=5, which the kernel reads as loose (the larger of all and the device);
 * `local-source` leaves the pod's address on the node's ens3, so the node drops the pod's packets
 * as coming from itself; `local-source-arp` is the same without the permanent entry, where the node
 * refuses the pod's ARP request for the same reason (ARP passes the input routing decision too);
 * `node-no-route` forgets the node's route to 10.250.0.1, so the node drops what it cannot forward;
 * `echo-ignored` has the gateway ignore pings (icmp_echo_ignore_all): taken, never answered.
 */
export const reversePath: Scenario = {
  name: 'reverse-path',
  description: 'reverse-path filtering (strict, loose, the max of all and the device) and a local source',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const pod = `${prefix}pod`;
    const node = `${prefix}node`;
    const gw = `${prefix}gw`;
    const asymmetric = variant === 'rp-strict' || variant === 'rp-loose';
    const commands: string[][] = [
      sysctl(node, 'net.ipv4.ip_forward=1'),
      sysctl(gw, 'net.ipv4.conf.all.rp_filter=1'),
      ip(node, 'link', 'add', 'vp', 'address', GATEWAY_MAC, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod),
      ip(node, 'link', 'add', 'ens3', 'type', 'veth', 'peer', 'name', 'ens3', 'netns', gw),
      ip(node, 'link', 'add', 'ens4', 'type', 'veth', 'peer', 'name', 'ens4', 'netns', gw),
      ...(variant === 'rp-loose' ? [sysctl(gw, 'net.ipv4.conf.ens4.rp_filter=5')] : []),
      ...(variant === 'echo-ignored' ? [sysctl(gw, 'net.ipv4.icmp_echo_ignore_all=1')] : []),
      ip(pod, 'link', 'set', 'lo', 'up'),
      ip(pod, 'addr', 'add', `${POD_IP}/24`, 'dev', 'eth0'),
      ip(pod, 'link', 'set', 'eth0', 'up'),
      ...(variant === 'local-source-arp'
        ? []
        : [ip(pod, 'neigh', 'replace', GATEWAY_IP, 'lladdr', GATEWAY_MAC, 'dev', 'eth0', 'nud', 'permanent')]),
      ip(pod, 'route', 'add', 'default', 'via', GATEWAY_IP, 'dev', 'eth0'),
      ip(node, 'addr', 'add', `${GATEWAY_IP}/24`, 'dev', 'vp'),
      ip(node, 'addr', 'add', '192.168.50.1/24', 'dev', 'ens3'),
      ip(node, 'addr', 'add', '192.168.60.1/24', 'dev', 'ens4'),
      ...['vp', 'ens3', 'ens4', 'lo'].map((d) => ip(node, 'link', 'set', d, 'up')),
      ip(gw, 'addr', 'add', '192.168.50.2/24', 'dev', 'ens3'),
      ip(gw, 'addr', 'add', '192.168.60.2/24', 'dev', 'ens4'),
      ip(gw, 'addr', 'add', `${REMOTE_IP}/32`, 'dev', 'lo'),
      ...['ens3', 'ens4', 'lo'].map((d) => ip(gw, 'link', 'set', d, 'up')),
      ip(gw, 'route', 'add', '10.244.1.0/24', 'via', '192.168.50.1', 'dev', 'ens3'),
      ...(variant === 'node-no-route'
        ? []
        : [
            asymmetric
              ? ip(node, 'route', 'add', REMOTE_IP, 'via', '192.168.60.2', 'dev', 'ens4')
              : ip(node, 'route', 'add', REMOTE_IP, 'via', '192.168.50.2', 'dev', 'ens3'),
          ]),
      // A leftover: the pod's address also on the node, as a /32 on its uplink.
      ...(variant.startsWith('local-source') ? [ip(node, 'addr', 'add', `${POD_IP}/32`, 'dev', 'ens3')] : []),
    ];
    const flow = (host: string, ns: string, to: string, expectDrop?: string): Flow => ({
      from: { host, netns: ns },
      to,
      pingNetns: ns,
      ...(expectDrop ? { expectDrop } : {}),
    });
    const s = (host: string, ns: string, dev?: string): string => `${host}/${ns}${dev ? `/${dev}` : ''}`;
    const flows: Record<Variant, Flow[]> = {
      symmetric: [flow('node', pod, REMOTE_IP), flow('node', pod, GATEWAY_IP), flow('gw', gw, POD_IP)],
      'rp-strict': [flow('node', pod, REMOTE_IP, 'IP_RPFILTER'), flow('node', pod, GATEWAY_IP), flow('gw', gw, POD_IP)],
      'rp-loose': [flow('node', pod, REMOTE_IP), flow('node', pod, GATEWAY_IP)],
      'local-source': [
        flow('node', pod, REMOTE_IP, 'IP_LOCAL_SOURCE'),
        flow('node', pod, GATEWAY_IP, 'IP_LOCAL_SOURCE'),
      ],
      'local-source-arp': [flow('node', pod, GATEWAY_IP, 'NEIGH_FAILED')],
      'node-no-route': [flow('node', pod, REMOTE_IP, 'IP_INNOROUTES'), flow('node', pod, GATEWAY_IP)],
      // No drop reason: the request is consumed.
      'echo-ignored': [flow('node', pod, REMOTE_IP), flow('node', pod, GATEWAY_IP)],
    };
    const expected: Record<Variant, ExpectedFinding[]> = {
      symmetric: [],
      'rp-strict': [{ rule: 'rp-filter-drop', subjects: [s('gw', gw, 'ens4'), s('node', node, 'ens4')] }],
      'rp-loose': [],
      'local-source': [{ rule: 'source-is-local', subjects: [s('node', node, 'vp'), s('node', pod, 'eth0')] }],
      'local-source-arp': [{ rule: 'source-is-local', subjects: [s('node', node, 'vp'), s('node', pod, 'eth0')] }],
      'node-no-route': [],
      'echo-ignored': [],
    };
    return {
      scenario: 'reverse-path',
      variant,
      prefix,
      namespaces: [pod, node, gw],
      commands,
      hostMap: {
        hosts: [
          { name: 'node', kind: 'node', root: node, netns: [pod] },
          { name: 'gw', kind: 'other', root: gw, netns: [] },
        ],
      },
      flows: flows[variant],
      expected: expected[variant],
    };
  },
};
