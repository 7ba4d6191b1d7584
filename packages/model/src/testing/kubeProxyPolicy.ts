import { parseIp, parsePrefix, prefixContains } from '../net/ip.ts';
import type { KubeService } from './kubeProxyRuleset.ts';

/** Whether an IPv4 CIDR holds an address (kube-proxy's `cidr.Contains(nodeIP)`). */
export function cidrHas(cidr: string, ip: string): boolean {
  const prefix = parsePrefix(cidr, 4);
  const v = parseIp(ip);
  return prefix !== undefined && v !== undefined && prefixContains(prefix, v);
}

/**
 * What kube-proxy's syncProxyRules (both modes) derives from a Service port's traffic policies and
 * the endpoints on its own node (proxy.CategorizeEndpoints, ServicePort.UsesClusterEndpoints /
 * UsesLocalEndpoints), before it writes a rule.
 */
export interface ServicePolicy {
  /** Any endpoint on any node: without one, every address of the Service is rejected. */
  readonly hasEndpoints: boolean;
  /** ClusterIP traffic has endpoints (internalTrafficPolicy Local: on this node); else it is dropped. */
  readonly hasInternal: boolean;
  /** NodePort, ExternalIP and LoadBalancer traffic has endpoints (externalTrafficPolicy Local: on this node). */
  readonly hasExternal: boolean;
  /** A NodePort, an ExternalIP or a LoadBalancer IP: the external chain exists (where there are endpoints). */
  readonly externallyAccessible: boolean;
  /** The cluster-policy chain (KUBE-SVC-… / service-…) exists: all endpoints. */
  readonly usesClusterChain: boolean;
  /** The local-policy chain (KUBE-SVL-… / local-…) exists: this node's endpoints. */
  readonly usesLocalChain: boolean;
  /** This node's endpoints. */
  readonly local: readonly string[];
  /** The endpoints with a DNAT chain (KUBE-SEP-… / endpoint-…) on this node. */
  readonly reachable: readonly string[];
  /** loadBalancerSourceRanges filter the LoadBalancer IPs (iptables: where there are endpoints). */
  readonly usesFirewall: boolean;
}

export function servicePolicy(s: KubeService): ServicePolicy {
  const hasEndpoints = s.endpoints.length > 0;
  const local = s.endpoints.filter((ep) => s.localEndpoints?.includes(ep));
  const lbIps = s.loadBalancerIps ?? [];
  const externallyAccessible = s.nodePort !== undefined || (s.externalIps ?? []).length > 0 || lbIps.length > 0;
  const internalLocal = s.internalLocal === true;
  const externalLocal = s.externalLocal === true;
  const usesCluster = !internalLocal || externallyAccessible;
  const usesLocal = internalLocal || (externalLocal && externallyAccessible);
  return {
    hasEndpoints,
    hasInternal: hasEndpoints && (!internalLocal || local.length > 0),
    hasExternal: hasEndpoints && (!externalLocal || local.length > 0),
    externallyAccessible,
    usesClusterChain: hasEndpoints && usesCluster,
    usesLocalChain: local.length > 0 && usesLocal,
    local,
    reachable: usesCluster ? s.endpoints : local,
    usesFirewall: lbIps.length > 0 && (s.loadBalancerSourceRanges ?? []).length > 0,
  };
}
