import type { LabPlan, Scenario } from '../scenario.ts';

/**
 * Two nodes with a bridge-based CNI (cni0, one /24 of pod IPs each, two pods per node), joined by an
 * underlay link with a route to each other's pod subnet. Pods on one node talk through the bridge;
 * across nodes the roots forward. `no-forward` turns ip_forward off on node b.
 */
export const bridgedNodes: Scenario = {
  name: 'bridged-nodes',
  description: 'bridge CNI on two routed nodes, two pods each',
  variants: ['ok', 'no-forward'],
  plan(prefix, variant): LabPlan {
    const nodes = [
      { name: 'node-a', ns: `${prefix}na`, subnet: '10.244.1', underlay: '192.168.210.1', nic: 'ens3' },
      { name: 'node-b', ns: `${prefix}nb`, subnet: '10.244.2', underlay: '192.168.210.2', nic: 'ens4' },
    ] as const;
    const commands: string[][] = [
      ['ip', 'link', 'add', 'ens3', 'netns', nodes[0].ns, 'type', 'veth', 'peer', 'name', 'ens4', 'netns', nodes[1].ns],
    ];
    const pods: string[] = [];
    for (const [i, n] of nodes.entries()) {
      const other = nodes[1 - i]!;
      const ip = (...a: string[]): string[] => ['ip', '-n', n.ns, ...a];
      const forward = variant === 'no-forward' && n.name === 'node-b' ? '0' : '1';
      commands.push(
        ['ip', 'netns', 'exec', n.ns, 'sysctl', '-q', '-w', `net.ipv4.ip_forward=${forward}`],
        ip('addr', 'add', `${n.underlay}/24`, 'dev', n.nic),
        ip('link', 'set', n.nic, 'up'),
        ip('link', 'add', 'cni0', 'type', 'bridge'),
        ip('addr', 'add', `${n.subnet}.1/24`, 'dev', 'cni0'),
        ip('link', 'set', 'cni0', 'up'),
        ip('route', 'add', `${other.subnet}.0/24`, 'via', other.underlay, 'dev', n.nic),
      );
      for (const p of [2, 3]) {
        const pod = `${n.ns}-p${p}`;
        pods.push(pod);
        const pip = (...a: string[]): string[] => ['ip', '-n', pod, ...a];
        commands.push(
          ip('link', 'add', `veth${p}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod),
          ip('link', 'set', `veth${p}`, 'master', 'cni0'),
          ip('link', 'set', `veth${p}`, 'up'),
          pip('link', 'set', 'lo', 'up'),
          pip('addr', 'add', `${n.subnet}.${p}/24`, 'dev', 'eth0'),
          pip('link', 'set', 'eth0', 'up'),
          pip('route', 'add', 'default', 'via', `${n.subnet}.1`),
        );
      }
    }
    const [a, b] = nodes;
    return {
      scenario: 'bridged-nodes',
      variant,
      prefix,
      namespaces: [a.ns, b.ns, ...pods],
      commands,
      hostMap: {
        hosts: nodes.map((n) => ({
          name: n.name,
          kind: 'node' as const,
          root: n.ns,
          netns: [`${n.ns}-p2`, `${n.ns}-p3`],
        })),
      },
      flows: [
        { from: { host: 'node-a', netns: `${a.ns}-p2` }, to: `${a.subnet}.3`, pingNetns: `${a.ns}-p2` },
        { from: { host: 'node-a', netns: `${a.ns}-p2` }, to: `${b.subnet}.2`, pingNetns: `${a.ns}-p2` },
        { from: { host: 'node-b', netns: `${b.ns}-p3` }, to: `${a.subnet}.3`, pingNetns: `${b.ns}-p3` },
        { from: { host: 'node-a', netns: a.ns }, to: `${a.subnet}.2`, pingNetns: a.ns },
      ],
    };
  },
};
