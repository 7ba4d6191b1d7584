import type { LabPlan, Scenario } from '../scenario.ts';
import { tcRedirect } from './tcRedirect.ts';

/** Every tenth pod is a peer pod's worker side: its eth0 and a VXLAN device joined by tc redirects. */
const PEER_EVERY = 10;

/**
 * One node with many pods, for collection benchmarks: a bridge CNI (cni0) with one veth per pod,
 * permanent neighbor entries both ways, and every tenth pod carrying a VXLAN tunnel device (socket in
 * the node's namespace, underlay ens3) with tc redirects between eth0 and the tunnel, as a peer pod's
 * worker namespace has. The variant is the pod count.
 */
export const denseNode: Scenario = {
  name: 'dense-node',
  description: 'one node with many bridged pods (variant = pod count), every tenth with a VXLAN tunnel and tc',
  variants: ['250', '100', '16'],
  plan(prefix, variant): LabPlan {
    const count = Number(variant);
    const node = `${prefix}node`;
    const ip = (...a: string[]): string[] => ['ip', '-n', node, ...a];
    const commands: string[][] = [
      ip('link', 'set', 'lo', 'up'),
      ip('link', 'add', 'ens3', 'type', 'veth', 'peer', 'name', 'ens3-peer'),
      ip('addr', 'add', '192.168.230.1/24', 'dev', 'ens3'),
      ip('link', 'set', 'ens3', 'up'),
      ip('link', 'set', 'ens3-peer', 'up'),
      ip('link', 'add', 'cni0', 'type', 'bridge'),
      ip('addr', 'add', '10.96.0.1/16', 'dev', 'cni0'),
      ip('link', 'set', 'cni0', 'up'),
    ];
    const pods: string[] = [];
    for (let i = 0; i < count; i++) {
      const pod = `${prefix}p${i}`;
      pods.push(pod);
      const podIp = `10.96.${(i + 2) >> 8}.${(i + 2) & 255}`;
      const podMac = `0a:58:0a:60:${((i + 2) >> 8).toString(16).padStart(2, '0')}:${((i + 2) & 255).toString(16).padStart(2, '0')}`;
      const pip = (...a: string[]): string[] => ['ip', '-n', pod, ...a];
      commands.push(
        ip('link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod),
        ip('link', 'set', `veth${i}`, 'master', 'cni0', 'up'),
        ip('neigh', 'replace', podIp, 'lladdr', podMac, 'dev', 'cni0', 'nud', 'permanent'),
        pip('link', 'set', 'lo', 'up'),
        pip('link', 'set', 'eth0', 'address', podMac, 'up'),
        pip('addr', 'add', `${podIp}/16`, 'dev', 'eth0'),
        pip('route', 'add', 'default', 'via', '10.96.0.1'),
      );
      if (i % PEER_EVERY !== 0) continue;
      // Peer pod (worker side): the tunnel's socket stays in the node's namespace when the device moves.
      const vni = String(700_000 + i);
      const vx = `vx${i}`;
      commands.push(
        ip(
          'link',
          'add',
          vx,
          'type',
          'vxlan',
          'id',
          vni,
          'remote',
          `192.168.230.${(i % 200) + 10}`,
          'dstport',
          '4789',
          'dev',
          'ens3',
        ),
        ip('link', 'set', vx, 'netns', pod),
        pip('link', 'set', vx, 'name', 'vxlan1', 'up'),
        ...tcRedirect(pod, 'eth0', 'vxlan1'),
        ...tcRedirect(pod, 'vxlan1', 'eth0'),
      );
    }
    return {
      scenario: 'dense-node',
      variant,
      prefix,
      namespaces: [node, ...pods],
      commands,
      hostMap: { hosts: [{ name: 'node', kind: 'node', root: node, netns: pods }] },
      // Pod 1 and 2 are plain pods on the same bridge.
      flows: count >= 3 ? [{ from: { host: 'node', netns: pods[1]! }, to: '10.96.0.4', pingNetns: pods[1]! }] : [],
    };
  },
};
