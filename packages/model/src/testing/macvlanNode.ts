import { NetBuilder, type BuiltNetns } from './netBuilder.ts';

/** The namespaces of `macvlanNode`. */
export interface MacvlanNode {
  readonly b: NetBuilder;
  readonly node: BuiltNetns;
  readonly router: BuiltNetns;
  readonly pods: readonly BuiltNetns[];
}

/**
 * Pods (10.10.0.11, .12, …) on macvlan devices of `mode` stacked on the node's ens3, whose veth
 * peer is the router's eth0 (10.10.0.100), as the lab's `macvlan` scenario has it without the
 * switch. `parentIp` gives ens3 an address in the pods' subnet, and the pods use it as gateway.
 */
export function macvlanNode(opts: { mode?: string; pods?: number; parentIp?: string } = {}): MacvlanNode {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true, forward: true });
  const router = b.netns('router', 'router', { root: true, forward: true });
  const [ens3] = b.veth(node, 'ens3', router, 'eth0');
  b.addr(router, 'eth0', '10.10.0.100/24');
  if (opts.parentIp) b.addr(node, 'ens3', `${opts.parentIp}/24`);
  const pods = Array.from({ length: opts.pods ?? 2 }, (_, i) => {
    const pod = b.netns('node', `p${i + 1}`);
    b.stacked(pod, 'eth0', { at: node, link: ens3 }, { kind: 'macvlan', mode: opts.mode ?? 'bridge' });
    b.addr(pod, 'eth0', `10.10.0.${11 + i}/24`);
    b.route(pod, 'default', { gateway: opts.parentIp ?? '10.10.0.100', dev: 'eth0' });
    return pod;
  });
  return { b, node, router, pods };
}
