import { iptablesSaveText, kubeProxyTables, type KubeService } from '@hoplens/model/testing/kubeProxy';

/** The dense-node lab's pod CIDR (its cni0 is 10.96.0.1/16). */
export const DENSE_NODE_POD_CIDR = '10.96.0.0/16';

/** The dense-node lab's pod IPs, in the order it builds the pods (packages/lab denseNode.ts). */
export const denseNodePodIp = (i: number): string => `10.96.${(i + 2) >> 8}.${(i + 2) & 255}`;

/**
 * `count` ClusterIP Services for a dense-node lab of `pods` pods: ClusterIPs in 10.100.0.0/16 (inside
 * Kubernetes' default 10.96.0.0/12 service range, outside the lab's pods), two endpoints each that
 * are real pods of the lab, every 50th without endpoints (kube-proxy then REJECTs in filter).
 */
export function denseNodeServices(count: number, pods: number): KubeService[] {
  return Array.from({ length: count }, (_, i) => ({
    namespace: `ns${i % 40}`,
    name: `svc${i}`,
    port: 8000 + (i % 1000),
    clusterIp: `10.100.${(i >> 8) & 255}.${i & 255}`,
    endpoints: i % 50 === 49 ? [] : [denseNodePodIp((2 * i) % pods), denseNodePodIp((2 * i + 1) % pods)],
  }));
}

/** What `iptables-restore` loads into the lab node's namespace: kube-proxy's filter and nat tables. */
export interface KubeProxyRuleset {
  readonly services: KubeService[];
  readonly rules: number;
  readonly chains: number;
  readonly text: string;
}

/** kube-proxy's tables (packages/model testing/kubeProxyRuleset.ts) for the dense-node lab's pods. */
export function denseNodeKubeProxy(count: number, pods: number): KubeProxyRuleset {
  const services = denseNodeServices(count, pods);
  const tables = kubeProxyTables(services, DENSE_NODE_POD_CIDR);
  return {
    services,
    rules: tables.reduce((n, t) => n + t.rules.length, 0),
    chains: tables.reduce((n, t) => n + t.chains.length, 0),
    text: iptablesSaveText(tables),
  };
}
