import type { CniAttachment, CniNetwork } from '../cni/cniSchema.ts';
import { cniIpamDir } from '../cni/runCni.ts';
import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip } from './labCommands.ts';

const VARIANTS = ['bridge', 'bridge-masq', 'ptp', 'macvlan'] as const;
type Variant = (typeof VARIANTS)[number];

const OUTSIDE_IP = '192.168.90.2';

/**
 * Two pods plumbed by the real CNI plugins (Debian's containernetworking-plugins), run from inside
 * the node's namespace as a container runtime runs them, with host-local IPAM in the run's own data
 * directory: so topology, addresses, routes and iptables rules come from code nobody here wrote.
 * The node reaches an outside host by ens3. `bridge`: a bridge without masquerading, the outside
 * host routing the pod subnet back; `bridge-masq`: the bridge with ipMasq, chained with the
 * firewall and portmap plugins, and no route back — only MASQUERADE (and conntrack rewriting the
 * reply back) gets an answer home; `ptp`: veth pairs routed by the node, with ipMasq;
 * `macvlan`: bridge-mode macvlans on the node's ens4, whose own address there it cannot use.
 */
export const cniPlugins: Scenario = {
  name: 'cni-plugins',
  description: 'pods plumbed by the real CNI plugins: bridge (with ipMasq, firewall, portmap), ptp, macvlan',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const node = `${prefix}node`;
    const outside = `${prefix}out`;
    const router = `${prefix}rt`;
    const pods = [`${prefix}p1`, `${prefix}p2`];
    const masq = variant === 'bridge-masq' || variant === 'ptp';
    const subnet = { bridge: '10.88.0', 'bridge-masq': '10.88.0', ptp: '10.89.0', macvlan: '10.90.0' }[variant];
    const commands: string[][] = [
      ip(node, 'link', 'set', 'lo', 'up'),
      ip(node, 'link', 'add', 'ens3', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', outside),
      ip(node, 'addr', 'add', '192.168.90.1/24', 'dev', 'ens3'),
      ip(node, 'link', 'set', 'ens3', 'up'),
      ip(outside, 'addr', 'add', `${OUTSIDE_IP}/24`, 'dev', 'eth0'),
      ip(outside, 'link', 'set', 'eth0', 'up'),
      ip(outside, 'link', 'set', 'lo', 'up'),
      // Without masquerading the outside host must know the way back to the pods.
      ...(masq || variant === 'macvlan' ? [] : [ip(outside, 'route', 'add', `${subnet}.0/24`, 'via', '192.168.90.1')]),
    ];
    if (variant === 'macvlan') {
      commands.push(
        ip(node, 'link', 'add', 'ens4', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', router),
        // The node's own address on the NIC the pods' macvlans hang from.
        ip(node, 'addr', 'add', `${subnet}.254/24`, 'dev', 'ens4'),
        ip(node, 'link', 'set', 'ens4', 'up'),
        ip(router, 'addr', 'add', `${subnet}.1/24`, 'dev', 'eth0'),
        ip(router, 'link', 'set', 'eth0', 'up'),
        ip(router, 'link', 'set', 'lo', 'up'),
        ['ip', 'netns', 'exec', router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'],
      );
    }
    const ipam = {
      type: 'host-local',
      dataDir: cniIpamDir(prefix),
      ranges: [
        [
          {
            subnet: `${subnet}.0/24`,
            ...(variant === 'macvlan' ? { rangeStart: `${subnet}.10`, gateway: `${subnet}.1` } : {}),
          },
        ],
      ],
      routes: [{ dst: '0.0.0.0/0' }],
    };
    const main = {
      bridge: { type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: masq, ipam },
      'bridge-masq': { type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: true, ipam },
      ptp: { type: 'ptp', ipMasq: true, ipam },
      macvlan: { type: 'macvlan', master: 'ens4', mode: 'bridge', ipam },
    }[variant];
    const network: CniNetwork = {
      cniVersion: '1.0.0',
      name: 'podnet',
      plugins:
        variant === 'bridge-masq'
          ? [
              main,
              { type: 'firewall', backend: 'iptables' },
              { type: 'portmap', capabilities: { portMappings: true }, snat: true },
            ]
          : [main],
    };
    const loopback: CniNetwork = { cniVersion: '1.0.0', name: 'lo', plugins: [{ type: 'loopback' }] };
    const cni: CniAttachment[] = pods.flatMap((pod, i) => [
      { nodeNetns: node, podNetns: pod, containerId: `hl${i + 1}`, ifname: 'lo', network: loopback },
      {
        nodeNetns: node,
        podNetns: pod,
        containerId: `hl${i + 1}`,
        ifname: 'eth0',
        network,
        ...(i === 0
          ? { runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] } }
          : {}),
      },
    ]);
    // host-local hands out addresses in order: the gateway first where the plugin takes one.
    const first = variant === 'macvlan' ? 10 : 2;
    const [p1 = '', p2 = ''] = pods;
    const pod1 = `${subnet}.${first}`;
    const pod2 = `${subnet}.${first + 1}`;
    const flow = (ns: string, host: string, to: string, extra: Partial<Flow> = {}): Flow => ({
      from: { host, netns: ns },
      to,
      pingNetns: ns,
      ...extra,
    });
    const flows: Record<Variant, Flow[]> = {
      bridge: [flow(p1, 'node', pod2), flow(p1, 'node', `${subnet}.1`), flow(p2, 'node', OUTSIDE_IP)],
      // Bridged frames meet the nat table's hooks too (br_netfilter), and portmap hooks PREROUTING.
      // The nat chains are evaluated rule by rule: traffic inside the subnet meets ACCEPT before
      // MASQUERADE; what leaves it is masqueraded, and conntrack rewrites the reply back (issue 22).
      'bridge-masq': [flow(p1, 'node', pod2), flow(p1, 'node', `${subnet}.1`), flow(p2, 'node', OUTSIDE_IP)],
      ptp: [flow(p1, 'node', pod2), flow(p1, 'node', `${subnet}.1`), flow(p2, 'node', OUTSIDE_IP)],
      macvlan: [
        flow(p1, 'node', pod2),
        flow(p1, 'node', `${subnet}.1`),
        flow(node, 'node', pod1, { expectDrop: 'NEIGH_FAILED' }),
      ],
    };
    const s = (host: string, ns: string, dev: string): string => `${host}/${ns}/${dev}`;
    const expected: Record<Variant, ExpectedFinding[]> = {
      bridge: [],
      'bridge-masq': [],
      ptp: [],
      macvlan: [
        {
          rule: 'macvlan-parent-isolation',
          subjects: [s('node', node, 'ens4'), s('node', p1, 'eth0'), s('node', p2, 'eth0')],
        },
      ],
    };
    return {
      scenario: 'cni-plugins',
      variant,
      prefix,
      namespaces: [node, outside, ...(variant === 'macvlan' ? [router] : []), ...pods],
      commands,
      cni,
      hostMap: {
        hosts: [
          { name: 'node', kind: 'node', root: node, netns: pods },
          { name: 'outside', kind: 'other', root: outside, netns: [] },
          ...(variant === 'macvlan' ? [{ name: 'router', kind: 'other' as const, root: router, netns: [] }] : []),
        ],
      },
      flows: flows[variant],
      expected: expected[variant],
    };
  },
};
