import type { Hop } from '../schema/trace.ts';
import type { Outcome } from '../trace/outcome.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { icmpEcho } from '../trace/packet.ts';
import { Walk } from '../trace/walk.ts';
import { NetBuilder, type BuiltNetns } from './netBuilder.ts';

/** The namespaces of `twoLinkRouter`. */
export interface TwoLinkRouter {
  readonly b: NetBuilder;
  readonly pod: BuiltNetns;
  readonly node: BuiltNetns;
  readonly gw: BuiltNetns;
}

/**
 * A pod (10.244.1.2) behind a node (gateway 10.244.1.1 on vp), which has two links to a gateway
 * namespace (ens3: 192.168.50.0/24, ens4: 192.168.60.0/24) that holds 10.250.0.1 on lo and routes
 * the pod subnet back by ens3. `asymmetric` sends the node's traffic for 10.250.0.1 by ens4, so it
 * comes back by the other link. Built by hand, as the lab's `reverse-path` scenario builds it.
 */
export function twoLinkRouter(opts: { asymmetric?: boolean } = {}): TwoLinkRouter {
  const b = new NetBuilder();
  const pod = b.netns('node', 'pod');
  const node = b.netns('node', 'node', { root: true, forward: true });
  const gw = b.netns('gw', 'gw', { root: true });
  b.veth(node, 'vp', pod, 'eth0');
  b.veth(node, 'ens3', gw, 'ens3');
  b.veth(node, 'ens4', gw, 'ens4');
  b.addr(pod, 'eth0', '10.244.1.2/24');
  b.route(pod, 'default', { gateway: '10.244.1.1', dev: 'eth0' });
  b.addr(node, 'vp', '10.244.1.1/24');
  b.addr(node, 'ens3', '192.168.50.1/24');
  b.addr(node, 'ens4', '192.168.60.1/24');
  b.addr(gw, 'ens3', '192.168.50.2/24');
  b.addr(gw, 'ens4', '192.168.60.2/24');
  b.addr(gw, 'lo', '10.250.0.1/32');
  b.route(gw, '10.244.1.0/24', { gateway: '192.168.50.1', dev: 'ens3' });
  const [via, dev] = opts.asymmetric ? ['192.168.60.2', 'ens4'] : ['192.168.50.2', 'ens3'];
  b.route(node, '10.250.0.1', { gateway: via, dev });
  return { b, pod, node, gw };
}

/** An echo request from the pod with these addresses arriving at the node's vp: the walk's verdict and hops. */
export function arriveAtNode(t: TwoLinkRouter, src: string, dst: string): { verdict: Outcome['verdict']; hops: Hop[] } {
  const index = new SnapshotIndex(t.b.snapshot());
  const vp = index.linkByName(t.node.ref, 'vp')!;
  const w = new Walk(index, 'request');
  const out = w.receive(vp, {
    srcMac: null,
    dstMac: vp.link.mac!,
    packet: icmpEcho({ src, dst, type: 'echo-request' }),
  });
  return { verdict: out.verdict, hops: w.hops };
}
