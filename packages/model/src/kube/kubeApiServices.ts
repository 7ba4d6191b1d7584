import type { KubeServices } from '../schema/kubeService.ts';
import type { KubeServicePort } from './kubeServices.ts';

/** kube-proxy's name for a Service port (ServicePortName.String()): `ns/name`, `:port-name` if it has one. */
export const servicePortKey = (namespace: string, name: string, portName: string): string =>
  `${namespace}/${name}${portName === '' ? '' : `:${portName}`}`;

/** The TCP and UDP ports of every Service with an IPv4 ClusterIP the Kubernetes API listed. */
export function apiServicePorts(kube: KubeServices): KubeServicePort[] {
  const out: KubeServicePort[] = [];
  for (const s of kube.services) {
    const clusterIp = s.clusterIps.find((ip) => ip.includes('.'));
    if (!clusterIp) continue;
    for (const p of s.ports) {
      if (p.protocol === 'SCTP') continue;
      out.push({
        key: servicePortKey(s.namespace, s.name, p.name),
        namespace: s.namespace,
        name: s.name,
        portName: p.name,
        clusterIp,
        proto: p.protocol === 'TCP' ? 'tcp' : 'udp',
        port: p.port,
      });
    }
  }
  return out;
}

/**
 * The ready endpoints (`address:port`) the EndpointSlices give a Service port: the slices of its
 * Service whose port of that name and protocol carries the number kube-proxy DNATs to.
 */
export function apiEndpoints(kube: KubeServices, port: KubeServicePort): Set<string> {
  const out = new Set<string>();
  const proto = port.proto === 'tcp' ? 'TCP' : 'UDP';
  for (const slice of kube.endpointSlices) {
    if (slice.namespace !== port.namespace || slice.service !== port.name || slice.addressType !== 'IPv4') continue;
    const target = slice.ports.find((p) => p.name === port.portName && p.protocol === proto);
    if (!target) continue;
    for (const e of slice.endpoints) if (e.ready) for (const a of e.addresses) out.add(`${a}:${target.port}`);
  }
  return out;
}
