import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ebpfPassFilter } from './ebpfPass.ts';
import { ip } from './labCommands.ts';

const VARIANTS = ['bridge', 'bridge-ebpf', 'parent-gateway', 'private', 'vepa', 'vepa-no-hairpin', 'passthru'] as const;
type Variant = (typeof VARIANTS)[number];

const ROUTER_IP = '10.10.0.100';
const PARENT_IP = '10.10.0.1';

/**
 * Pods on macvlan devices stacked on a node's NIC (ens3), which a switch namespace (a bridge, br0)
 * joins to a router namespace (10.10.0.100). `bridge`: two pods in bridge mode talk directly and
 * reach the router (fault-free). `parent-gateway`: the node holds 10.10.0.1 on ens3 and the pods use
 * it as their gateway — a macvlan's lower device never receives its children's frames, nor they its
 * own. `private`: pods cannot reach each other. `vepa`: they can, through the switch, which sends
 * their frames back out of the port they came in by (hairpin); `vepa-no-hairpin` forgets hairpin on
 * the switch port. `passthru`: one pod owns the NIC. `bridge-ebpf`: bridge mode with an eBPF filter
 * (it passes all) at the second pod's ingress, which hoplens cannot evaluate: the first pod's ARP
 * broadcast reaches it there, so a ping between them cannot be told — never dropped.
 */
export const macvlanModes: Scenario = {
  name: 'macvlan',
  description: 'macvlan modes (bridge, private, vepa, passthru) and a parent that cannot reach its children',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const node = `${prefix}node`;
    const sw = `${prefix}sw`;
    const router = `${prefix}rt`;
    const pods = variant === 'passthru' ? [`${prefix}p1`] : [`${prefix}p1`, `${prefix}p2`];
    const mode =
      variant === 'parent-gateway' || variant === 'bridge-ebpf' ? 'bridge' : variant.replace('-no-hairpin', '');
    const gateway = variant === 'parent-gateway' ? PARENT_IP : ROUTER_IP;
    const commands: string[][] = [
      ip(node, 'link', 'add', 'ens3', 'type', 'veth', 'peer', 'name', 'sw-n', 'netns', sw),
      ip(sw, 'link', 'add', 'sw-r', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', router),
      ip(sw, 'link', 'add', 'br0', 'type', 'bridge'),
      ip(sw, 'link', 'set', 'sw-n', 'master', 'br0'),
      ip(sw, 'link', 'set', 'sw-r', 'master', 'br0'),
      ...(variant === 'vepa' ? [['bridge', '-n', sw, 'link', 'set', 'dev', 'sw-n', 'hairpin', 'on']] : []),
      ...['br0', 'sw-n', 'sw-r'].map((d) => ip(sw, 'link', 'set', d, 'up')),
      // The router and, where the pods use it as their gateway, the node forward.
      ['ip', 'netns', 'exec', router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'],
      [
        'ip',
        'netns',
        'exec',
        node,
        'sysctl',
        '-q',
        '-w',
        `net.ipv4.ip_forward=${variant === 'parent-gateway' ? 1 : 0}`,
      ],
      ip(router, 'addr', 'add', `${ROUTER_IP}/24`, 'dev', 'eth0'),
      ip(router, 'link', 'set', 'eth0', 'up'),
      ip(router, 'link', 'set', 'lo', 'up'),
      ...(variant === 'parent-gateway' ? [ip(node, 'addr', 'add', `${PARENT_IP}/24`, 'dev', 'ens3')] : []),
      ip(node, 'link', 'set', 'ens3', 'up'),
      ip(node, 'link', 'set', 'lo', 'up'),
    ];
    for (const [i, pod] of pods.entries()) {
      commands.push(
        ip(node, 'link', 'add', `mv${i + 1}`, 'link', 'ens3', 'type', 'macvlan', 'mode', mode),
        ip(node, 'link', 'set', `mv${i + 1}`, 'netns', pod),
        ip(pod, 'link', 'set', `mv${i + 1}`, 'name', 'eth0'),
        ip(pod, 'addr', 'add', `10.10.0.${11 + i}/24`, 'dev', 'eth0'),
        ip(pod, 'link', 'set', 'eth0', 'up'),
        ip(pod, 'link', 'set', 'lo', 'up'),
        ip(pod, 'route', 'add', 'default', 'via', gateway, 'dev', 'eth0'),
      );
    }
    const [p1 = '', p2 = ''] = pods;
    const files: { path: string; content: string }[] = [];
    if (variant === 'bridge-ebpf') {
      const pass = ebpfPassFilter(prefix, p2, 'eth0', 'ingress');
      files.push(pass.file);
      commands.push(...pass.commands);
    }
    const flow = (ns: string, host: string, to: string, expectDrop?: string): Flow => ({
      from: { host, netns: ns },
      to,
      pingNetns: ns,
      ...(expectDrop ? { expectDrop } : {}),
    });
    const s = (host: string, ns: string, dev: string): string => `${host}/${ns}/${dev}`;
    const flows: Record<Variant, Flow[]> = {
      bridge: [flow(p1, 'node', '10.10.0.12'), flow(p1, 'node', ROUTER_IP), flow(router, 'router', '10.10.0.12')],
      'bridge-ebpf': [
        { ...flow(p1, 'node', '10.10.0.12'), traceUnknown: 'eBPF' },
        { ...flow(router, 'router', '10.10.0.12'), traceUnknown: 'eBPF' },
      ],
      'parent-gateway': [
        flow(p1, 'node', PARENT_IP, 'NEIGH_FAILED'),
        flow(node, 'node', '10.10.0.12', 'NEIGH_FAILED'),
        flow(p2, 'node', ROUTER_IP),
      ],
      private: [flow(p1, 'node', '10.10.0.12', 'NEIGH_FAILED'), flow(p1, 'node', ROUTER_IP)],
      vepa: [flow(p1, 'node', '10.10.0.12'), flow(router, 'router', '10.10.0.11')],
      'vepa-no-hairpin': [flow(p1, 'node', '10.10.0.12', 'NEIGH_FAILED'), flow(p2, 'node', ROUTER_IP)],
      passthru: [flow(p1, 'node', ROUTER_IP), flow(router, 'router', '10.10.0.11')],
    };
    const expected: Record<Variant, ExpectedFinding[]> = {
      bridge: [],
      'bridge-ebpf': [],
      'parent-gateway': [
        {
          rule: 'macvlan-parent-isolation',
          subjects: [s('node', node, 'ens3'), s('node', p1, 'eth0'), s('node', p2, 'eth0')],
        },
      ],
      private: [],
      vepa: [],
      'vepa-no-hairpin': [{ rule: 'vepa-hairpin-off', subjects: [s('switch', sw, 'sw-n'), s('node', node, 'ens3')] }],
      passthru: [],
    };
    return {
      scenario: 'macvlan',
      variant,
      prefix,
      namespaces: [node, sw, router, ...pods],
      commands,
      ...(files.length > 0 ? { files } : {}),
      hostMap: {
        hosts: [
          { name: 'node', kind: 'node', root: node, netns: pods },
          { name: 'switch', kind: 'other', root: sw, netns: [] },
          { name: 'router', kind: 'other', root: router, netns: [] },
        ],
      },
      flows: flows[variant],
      expected: expected[variant],
    };
  },
};
