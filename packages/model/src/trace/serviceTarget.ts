import { findServicePort, isServiceName, kubeServicePorts } from '../kube/kubeServices.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import type { TraceOptions } from './trace.ts';

/** Where a trace goes: an IP with the options as given, or a Service's ClusterIP and its port. */
export type ServiceTarget =
  { readonly to: string; readonly opts: TraceOptions; readonly service?: string } | { readonly error: string };

/**
 * A destination `namespace/name[:port]` (port: kube-proxy's name for it, or its number) becomes
 * the Service's ClusterIP, protocol and port as kube-proxy's rules on the source's host (else any
 * host) name it; an IP stays as it is. A protocol or port given beside a Service must be its own.
 */
export function serviceTarget(index: SnapshotIndex, host: string, to: string, opts: TraceOptions): ServiceTarget {
  if (!isServiceName(to)) return { to, opts };
  const s = findServicePort(index, to, host);
  if (!s) {
    const known = kubeServicePorts(index)
      .map((p) => p.key)
      .filter((k, i, all) => all.indexOf(k) === i);
    const listed =
      known.length === 0 ? 'no kube-proxy Service rules were collected' : `known: ${known.slice(0, 20).join(', ')}`;
    return { error: `no single Service port ${to} in this snapshot's kube-proxy rules (${listed})` };
  }
  if ((opts.proto !== undefined && opts.proto !== s.proto) || (opts.port !== undefined && opts.port !== s.port)) {
    return {
      error: `Service ${s.key} is ${s.proto} port ${s.port}, not ${opts.proto ?? s.proto} port ${opts.port ?? s.port}`,
    };
  }
  return { to: s.clusterIp, opts: { ...opts, proto: s.proto, port: s.port }, service: s.key };
}
