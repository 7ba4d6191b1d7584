import { NetBuilder, type BuiltNetns } from './netBuilder.ts';

/** The namespaces of `calicoNode`. */
export interface CalicoNode {
  readonly b: NetBuilder;
  readonly pod: BuiltNetns;
  readonly node: BuiltNetns;
  readonly gw: BuiltNetns;
}

/**
 * A pod (10.244.1.2) behind a node whose side of the veth (cali0) holds no address, as the lab's
 * `arp` scenario builds it: the pod's gateway is `gateway` on-link (169.254.1.1, held by nobody, by
 * default; pass `onLo` to put it on the node's lo instead); the node routes the pod by cali0 and
 * everything else by ens3 to a gateway namespace holding 10.250.0.1.
 */
export function calicoNode(opts: { gateway?: string; onLo?: boolean } = {}): CalicoNode {
  const gateway = opts.gateway ?? '169.254.1.1';
  const b = new NetBuilder();
  const pod = b.netns('node', 'pod');
  const node = b.netns('node', 'node', { root: true, forward: true });
  const gw = b.netns('gw', 'gw', { root: true, forward: true });
  b.veth(node, 'cali0', pod, 'eth0');
  b.veth(node, 'ens3', gw, 'ens3');
  b.addr(pod, 'eth0', '10.244.1.2/32');
  b.route(pod, gateway, { dev: 'eth0', scope: 'link' });
  b.route(pod, 'default', { gateway, dev: 'eth0' });
  if (opts.onLo) b.addr(node, 'lo', `${gateway}/32`);
  b.addr(node, 'ens3', '192.168.70.1/24');
  b.route(node, '10.244.1.2', { dev: 'cali0', scope: 'link' });
  b.route(node, 'default', { gateway: '192.168.70.2', dev: 'ens3' });
  b.addr(gw, 'ens3', '192.168.70.2/24');
  b.addr(gw, 'lo', '10.250.0.1/32');
  b.route(gw, '10.244.1.0/24', { gateway: '192.168.70.1', dev: 'ens3' });
  return { b, pod, node, gw };
}
