import type { IptablesTable } from '../schema/firewall.ts';
import type { ListeningSockets } from '../schema/sockets.ts';
import { kubeProxyTables, type KubeService } from './kubeProxyRuleset.ts';
import { NetBuilder, type BuiltNetns } from './netBuilder.ts';

/** The namespaces of `serviceCluster`. */
export interface ServiceCluster {
  readonly b: NetBuilder;
  readonly client: BuiltNetns;
  readonly na: BuiltNetns;
  readonly nb: BuiltNetns;
  readonly endpoints: readonly BuiltNetns[];
  /** The endpoints' addresses, in order. */
  readonly ips: readonly string[];
}

/** web: ClusterIP 10.96.0.10 TCP 80, three endpoints on node nb; empty: 10.96.0.11 TCP 81 without any. */
export const WEB: KubeService = {
  namespace: 'shop',
  name: 'web',
  port: 80,
  clusterIp: '10.96.0.10',
  endpoints: ['10.244.2.5', '10.244.2.9', '10.244.2.13'],
};
export const EMPTY: KubeService = {
  namespace: 'shop',
  name: 'empty',
  port: 81,
  clusterIp: '10.96.0.11',
  endpoints: [],
};

/**
 * What every endpoint pod runs, as `ss -l -n -t -u` would list it: web's server (TCP 80), and those
 * the tests put behind other Services on the same pods (DNS on UDP 53, a database on TCP 5432).
 * A connection the tracer delivers must find its socket: without the list it cannot tell.
 */
const SERVERS: ListeningSockets = {
  sockets: [
    { proto: 'tcp', family: 'inet', address: '0.0.0.0', port: 80 },
    { proto: 'udp', family: 'inet', address: '0.0.0.0', port: 53 },
    { proto: 'tcp', family: 'inet', address: '0.0.0.0', port: 5432 },
  ],
};

/**
 * A client pod (10.244.1.2) on node na, whose root namespace holds kube-proxy's iptables rules for
 * WEB and EMPTY; na routes the pods of node nb (10.244.2.0/24), and by default, over ens3 (192.168.50.0/24), and nb
 * its three endpoint pods, each on its own veth and /30, listening (SERVERS). Built by hand, as the lab's `service`
 * scenario builds it.
 */
export function serviceCluster(tables: IptablesTable[] = kubeProxyTables([WEB, EMPTY])): ServiceCluster {
  const b = new NetBuilder();
  const client = b.netns('na', 'client');
  const na = b.netns('na', 'na', { root: true, forward: true });
  const nb = b.netns('nb', 'nb', { root: true, forward: true });
  b.veth(na, 'vc', client, 'eth0');
  b.addr(client, 'eth0', '10.244.1.2/24');
  b.route(client, 'default', { gateway: '10.244.1.1', dev: 'eth0' });
  b.addr(na, 'vc', '10.244.1.1/24');
  b.veth(na, 'ens3', nb, 'ens3');
  b.addr(na, 'ens3', '192.168.50.1/24');
  b.addr(nb, 'ens3', '192.168.50.2/24');
  b.route(na, '10.244.2.0/24', { gateway: '192.168.50.2', dev: 'ens3' });
  // As on a real node, the default route carries ClusterIPs until a rule rewrites them.
  b.route(na, 'default', { gateway: '192.168.50.2', dev: 'ens3' });
  b.route(nb, '10.244.1.0/24', { gateway: '192.168.50.1', dev: 'ens3' });
  const endpoints = WEB.endpoints.map((ip, i) => {
    const ep = b.netns('nb', `ep${i}`);
    const gw = ip.replace(/\.(\d+)$/, (_, n: string) => `.${Number(n) + 1}`);
    b.veth(nb, `vp${i}`, ep, 'eth0');
    b.addr(ep, 'eth0', `${ip}/30`);
    b.route(ep, 'default', { gateway: gw, dev: 'eth0' });
    b.addr(nb, `vp${i}`, `${gw}/30`);
    ep.ns.listening = { sockets: SERVERS.sockets.map((s) => ({ ...s })) };
    return ep;
  });
  na.ns.firewall = { nftables: [], iptables: tables, ipsets: [], gaps: [] };
  return { b, client, na, nb, endpoints, ips: WEB.endpoints };
}
