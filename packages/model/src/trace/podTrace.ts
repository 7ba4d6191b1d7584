import { isServiceName } from '../kube/kubeServices.ts';
import { podId } from '../ids.ts';
import { parseIp } from '../net/ip.ts';
import type { TraceEndpoints } from '../schema/api.ts';
import type { Pod } from '../schema/snapshot.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { TraceInputError } from './trace.ts';

/** `NAMESPACE/NAME`, the way pods are named in URLs and on the command line. */
export const podKey = (pod: Pod): string => `${pod.namespace}/${pod.name}`;

export function findPod(index: SnapshotIndex, key: string): Pod | undefined {
  return index.snapshot.pods.find((p) => podKey(p) === key || podId(p.namespace, p.name) === key);
}

/**
 * Where a pod's path runs. `node` (the default): from the node's root namespace (the gateway side,
 * where the CNI reaches the pod) to the pod's first IP. An IP or a Service (`namespace/name:port`,
 * resolved by the trace): from the namespace where the pod's workload runs (the pod VM's for a peer
 * pod) to it.
 */
export function podTraceEndpoints(index: SnapshotIndex, key: string, to = 'node'): TraceEndpoints {
  const pod = findPod(index, key);
  if (!pod) throw new TraceInputError(`no pod ${key} in this snapshot`);
  if (to === 'node') {
    const node = pod.node ?? pod.netns[0]?.host;
    const root = node === undefined ? undefined : index.rootOf(node);
    const ip = pod.ips[0];
    if (!root || !ip) throw new TraceInputError(`pod ${key} has no node root namespace or IP in this snapshot`);
    return { from: root.ref, to: ip };
  }
  if (!parseIp(to) && !isServiceName(to))
    throw new TraceInputError(`to must be "node", an IP address or namespace/service:port, got ${to}`);
  const inner = pod.netns[pod.netns.length - 1];
  if (!inner) throw new TraceInputError(`pod ${key} has no namespace in this snapshot`);
  return { from: inner, to };
}

/**
 * The endpoints of a trace or probe request: `pod` (with `to` = `node` or an IP), or `from`
 * (HOST or HOST/NETNS; the host's root without one) and `to`.
 */
export function requestEndpoints(
  index: SnapshotIndex,
  q: { readonly pod?: string | undefined; readonly from?: string | undefined; readonly to?: string | undefined },
): TraceEndpoints {
  if (q.pod !== undefined) return podTraceEndpoints(index, q.pod, q.to);
  if (q.from === undefined || q.to === undefined)
    throw new TraceInputError('give pod=NS/NAME, or from=HOST[/NETNS] and to=IP');
  const slash = q.from.indexOf('/');
  const host = slash < 0 ? q.from : q.from.slice(0, slash);
  const netns = slash < 0 ? (index.rootOf(host)?.ns.name ?? null) : q.from.slice(slash + 1) || null;
  return { from: { host, netns }, to: q.to };
}
