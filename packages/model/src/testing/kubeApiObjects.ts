import type { KubeEndpointSlice, KubeService, KubeServices } from '../schema/kubeService.ts';
import type { KubeService as ProxiedService } from './kubeProxyRuleset.ts';

/**
 * What the Kubernetes API says of Services that kubeProxyTables programs: a Service with one port
 * named `p<port>` and one EndpointSlice listing its endpoints (or `endpoints`, to disagree), ready.
 */
export function kubeApiObjects(
  services: readonly ProxiedService[],
  endpoints: (s: ProxiedService) => readonly string[] = (s) => s.endpoints,
): KubeServices {
  const api: KubeService[] = [];
  const slices: KubeEndpointSlice[] = [];
  for (const s of services) {
    const protocol = s.protocol === 'udp' ? 'UDP' : 'TCP';
    api.push({
      namespace: s.namespace,
      name: s.name,
      type: 'ClusterIP',
      clusterIps: [s.clusterIp],
      ports: [{ name: `p${s.port}`, protocol, port: s.port }],
    });
    slices.push({
      namespace: s.namespace,
      name: `${s.name}-abcde`,
      service: s.name,
      addressType: 'IPv4',
      ports: [{ name: `p${s.port}`, protocol, port: s.targetPort ?? s.port }],
      endpoints: endpoints(s).map((ip) => ({ addresses: [ip], ready: true })),
    });
  }
  return { services: api, endpointSlices: slices, skipped: 0 };
}
