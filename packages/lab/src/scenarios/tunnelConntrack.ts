import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip } from './labCommands.ts';

const VARIANTS = ['notrack', 'tracked'] as const;
type Variant = (typeof VARIANTS)[number];

/** Inner flows sent through the tunnel at `lab up`: enough for a pile-up (tunnel-conntrack-unreplied's 1,000). */
const FLOWS = 1200;

/**
 * A worker and a pod VM joined by a VXLAN tunnel (UDP 4789), as cloud-api-adaptor joins them, where
 * the worker's conntrack is in use (an iptables rule that asks for a state, as kube-proxy's do). At
 * `lab up` the worker opens 1,200 inner UDP flows to the VM. `tracked`: each leaves an UNREPLIED
 * entry for the tunnel's port, as the VM's packets come from other source ports and are never
 * replies; `notrack` is the fault-free twin, the tunnel exempt in the raw table both ways.
 */
export const tunnelConntrack: Scenario = {
  name: 'tunnel-conntrack',
  description: 'a VXLAN tunnel whose packets conntrack follows: unreplied entries pile up without NOTRACK',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const w = `${prefix}w`;
    const v = `${prefix}v`;
    const inW = (...argv: string[]): string[] => ['ip', 'netns', 'exec', w, ...argv];
    const commands: string[][] = [ip(w, 'link', 'add', 'ens3', 'type', 'veth', 'peer', 'name', 'ens3', 'netns', v)];
    for (const [ns, me, peer] of [
      [w, '1', '2'],
      [v, '2', '1'],
    ] as const) {
      commands.push(
        ip(ns, 'link', 'set', 'lo', 'up'),
        ip(ns, 'addr', 'add', `192.168.100.${me}/24`, 'dev', 'ens3'),
        ip(ns, 'link', 'set', 'ens3', 'up'),
        ip(
          ns,
          'link',
          'add',
          'vxlan0',
          'type',
          'vxlan',
          'id',
          '555',
          'remote',
          `192.168.100.${peer}`,
          'dstport',
          '4789',
        ),
        ip(ns, 'addr', 'add', `10.200.0.${me}/24`, 'dev', 'vxlan0'),
        ip(ns, 'link', 'set', 'vxlan0', 'up'),
      );
    }
    commands.push(
      inW('iptables', '-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'),
      ...(variant === 'notrack'
        ? ['PREROUTING', 'OUTPUT'].map((chain) =>
            inW('iptables', '-t', 'raw', '-I', chain, '-p', 'udp', '--dport', '4789', '-j', 'NOTRACK'),
          )
        : []),
      // Each inner destination port hashes to another outer source port: one entry per flow.
      inW('bash', '-c', `for i in $(seq 1 ${FLOWS}); do echo x > /dev/udp/10.200.0.2/$((20000 + i)); done; true`),
    );
    const flow = (from: string, to: string): Flow => ({
      from: { host: from === w ? 'worker' : 'podvm', netns: from },
      to,
      pingNetns: from,
    });
    const expected: Record<Variant, ExpectedFinding[]> = {
      notrack: [],
      tracked: [{ rule: 'tunnel-conntrack-unreplied', subjects: [`worker/${w}/vxlan0`, `worker/${w}`] }],
    };
    return {
      scenario: 'tunnel-conntrack',
      variant,
      prefix,
      namespaces: [w, v],
      commands,
      hostMap: {
        hosts: [
          { name: 'worker', kind: 'node', root: w, netns: [] },
          { name: 'podvm', kind: 'other', root: v, netns: [] },
        ],
      },
      flows: [flow(w, '10.200.0.2'), flow(v, '10.200.0.1')],
      expected: expected[variant],
    };
  },
};
