import { kubeServicePorts } from '../kube/kubeServices.ts';
import type { ServicePage, ServicePort, ServiceQuery } from '../schema/servicePage.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';

/** Service ports a page holds when the query does not say. */
export const DEFAULT_SERVICE_PAGE = 40;

const distinctPorts = (index: SnapshotIndex): readonly ServicePort[] => {
  const seen = new Map<string, ServicePort>();
  for (const s of kubeServicePorts(index)) {
    // Every node's kube-proxy programs the same Service: one entry per port, not per node.
    const id = `${s.key} ${s.clusterIp} ${s.proto} ${s.port}`;
    if (!seen.has(id)) seen.set(id, { key: s.key, clusterIp: s.clusterIp, proto: s.proto, port: s.port });
  }
  return [...seen.values()].sort((a, b) => a.key.localeCompare(b.key));
};

/**
 * A page of the Service ports kube-proxy's rules program anywhere in the snapshot, once each,
 * matching `q` (case-insensitive, in `namespace/name:port` or the ClusterIP), by name.
 */
export function servicePage(index: SnapshotIndex, query: ServiceQuery): ServicePage {
  const q = (query.q ?? '').trim().toLowerCase();
  const all = index.derive(distinctPorts);
  const matching = q === '' ? all : all.filter((s) => s.key.toLowerCase().includes(q) || s.clusterIp.includes(q));
  return { services: matching.slice(0, query.limit ?? DEFAULT_SERVICE_PAGE), total: matching.length };
}
