import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, iptables, nft, nftBaseChain, sysctl } from './labCommands.ts';

const VARIANTS = ['ok', 'underlay-mtu', 'sport-filter', 'srcport-drop', 'ephemeral-drop'] as const;
type Variant = (typeof VARIANTS)[number];

const POD_B = '10.9.0.3';

/**
 * One L2 segment over VXLAN: each of two nodes has a bridge br0 whose ports are a pod's veth and a
 * VXLAN device (VNI 42 to the other node, over ens3), so both pods share 10.9.0.0/24 and the nodes
 * route nothing (a bridge CNI stretched by a tunnel). `ok` is fault-free: vx0 has the 1450 bytes a
 * 1500-byte underlay carries. In `underlay-mtu` the underlay drops to 1400 (a cloud network's MTU)
 * and vx0 keeps 1450: a 1450-byte packet with DF no longer fits the path, and vx0, a bridge port,
 * answers it with ICMP fragmentation needed instead of sending it (`skb_tunnel_check_pmtu`); without
 * DF the outer packet is fragmented and arrives. Lowering vx0 alone only moves the drop into the
 * bridge, silently: mtu-mismatch gives no fix command here. The outer source port, picked by a
 * hash of the inner flow: `sport-filter` drops UDP from port 4789 on both nodes, which no tunnel
 * packet has (delivered); `srcport-drop` gives node a's vx0 `srcport 5000 5010` and drops that
 * range; `ephemeral-drop` drops UDP from node b's whole ip_local_port_range (nftables), every reply.
 * In both the pod's ARP request or its answer is what dies first: the kernel gives NEIGH_FAILED.
 */
export const bridgedTunnel: Scenario = {
  name: 'bridged-tunnel',
  description:
    'a bridge with a VXLAN port joining two nodes: a tunnel port too big for its underlay, filters on the source port the tunnel picks',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const nodes = [
      { name: 'na', ns: `${prefix}na`, pod: `${prefix}na-a`, self: '10.0.0.1', other: '10.0.0.2', podIp: '10.9.0.2' },
      { name: 'nb', ns: `${prefix}nb`, pod: `${prefix}nb-b`, self: '10.0.0.2', other: '10.0.0.1', podIp: POD_B },
    ] as const;
    const [a, b] = nodes;
    const commands: string[][] = [
      ip(a.ns, 'link', 'add', 'ens3', 'type', 'veth', 'peer', 'name', 'ens3', 'netns', b.ns),
    ];
    for (const n of nodes) {
      // vx0 picks its outer source port by a hash of the inner flow: from its own `srcport` range
      // (node a's in srcport-drop), else from its namespace's ip_local_port_range, set as the default.
      const srcport = variant === 'srcport-drop' && n === a ? ['srcport', '5000', '5010'] : [];
      commands.push(
        sysctl(n.ns, 'net.ipv4.ip_local_port_range=32768 60999'),
        ip(n.ns, 'link', 'set', 'lo', 'up'),
        ip(n.pod, 'link', 'set', 'lo', 'up'),
        ip(n.ns, 'addr', 'add', `${n.self}/24`, 'dev', 'ens3'),
        ip(n.ns, 'link', 'set', 'ens3', 'up'),
        ip(
          n.ns,
          'link',
          'add',
          'vx0',
          'type',
          'vxlan',
          'id',
          '42',
          'dstport',
          '4789',
          'local',
          n.self,
          'remote',
          n.other,
          'dev',
          'ens3',
          ...srcport,
        ),
        // Lowered after vx0 took its MTU from it, as when a node moves to another network.
        ...(variant === 'underlay-mtu' ? [ip(n.ns, 'link', 'set', 'ens3', 'mtu', '1400')] : []),
        ip(n.ns, 'link', 'add', 'br0', 'type', 'bridge'),
        ip(n.ns, 'link', 'set', 'vx0', 'master', 'br0', 'up'),
        ip(n.ns, 'link', 'add', 'vpod', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.pod),
        ip(n.ns, 'link', 'set', 'vpod', 'master', 'br0', 'up'),
        ip(n.ns, 'link', 'set', 'br0', 'up'),
        ip(n.pod, 'addr', 'add', `${n.podIp}/24`, 'dev', 'eth0'),
        ip(n.pod, 'link', 'set', 'eth0', 'up'),
      );
    }
    // The tunnel's packets leave each node by OUTPUT. sport-filter: a drop of source port 4789 (the
    // tunnel's port on both ends, a common slip) that no tunnel packet meets. srcport-drop: a drop of
    // node a's own srcport range. ephemeral-drop: node b drops UDP from the whole default range, so
    // every encapsulated reply.
    if (variant === 'sport-filter')
      for (const n of nodes)
        commands.push(iptables(n.ns, '-A', 'OUTPUT', '-p', 'udp', '--sport', '4789', '-j', 'DROP'));
    if (variant === 'srcport-drop')
      commands.push(iptables(a.ns, '-A', 'OUTPUT', '-p', 'udp', '--sport', '5000:5010', '-j', 'DROP'));
    if (variant === 'ephemeral-drop')
      commands.push(
        ...nftBaseChain(b.ns, 'inet', 'hl', 'out', 'output'),
        nft(b.ns, 'add', 'rule', 'inet', 'hl', 'out', 'udp', 'sport', '32768-60999', 'drop'),
      );
    const dropped = variant === 'srcport-drop' || variant === 'ephemeral-drop';
    const toB = (extra: Partial<Flow> = {}): Flow => ({
      from: { host: a.name, netns: a.pod },
      to: POD_B,
      pingNetns: a.pod,
      ...(dropped ? { expectDrop: 'NEIGH_FAILED' } : {}),
      ...extra,
    });
    // 1422 bytes of payload: a 1450-byte packet, what vx0's MTU lets through the bridge.
    const flows: Flow[] = [toB(), toB({ size: 1422, df: true }), toB({ size: 1422 })];
    const s = (n: (typeof nodes)[number], dev: string): string => `${n.name}/${n.ns}/${dev}`;
    const expected: Record<Variant, ExpectedFinding[]> = {
      ok: [],
      'sport-filter': [],
      'srcport-drop': [],
      'ephemeral-drop': [],
      'underlay-mtu': nodes.map((n) => ({ rule: 'mtu-mismatch', subjects: [s(n, 'vx0'), s(n, 'ens3')] })),
    };
    return {
      scenario: 'bridged-tunnel',
      variant,
      prefix,
      namespaces: nodes.flatMap((n) => [n.ns, n.pod]),
      commands,
      hostMap: { hosts: nodes.map((n) => ({ name: n.name, kind: 'node' as const, root: n.ns, netns: [n.pod] })) },
      flows,
      expected: expected[variant],
    };
  },
};
