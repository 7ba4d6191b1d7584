import type { HostInventory } from '../schema/inventory.ts';
import type { KubePod } from '../schema/kubePod.ts';
import type { Pod } from '../schema/snapshot.ts';
import { inferPods } from './inferPods.ts';

/**
 * Names the pods Kubernetes knows: each inferred pod (a namespace with a global address, and its
 * pod VM namespace for a peer pod) whose address a Kubernetes pod holds takes that pod's name,
 * namespace and node. Pods on the host network are left out (they own no namespace); namespaces
 * no Kubernetes pod claims stay inferred.
 */
export function joinPods(hosts: readonly HostInventory[], kubePods: readonly KubePod[]): Pod[] {
  const byIp = new Map<string, KubePod>();
  for (const p of kubePods) if (!p.hostNetwork) for (const ip of p.ips) byIp.set(ip, p);
  const named = new Map<KubePod, Pod>();
  const out: Pod[] = [];
  for (const inferred of inferPods(hosts)) {
    const kube = inferred.ips.map((ip) => byIp.get(ip)).find((p) => p !== undefined);
    if (!kube) {
      out.push(inferred);
      continue;
    }
    const pod = named.get(kube);
    if (pod) {
      // A pod with two addresses (v4 and v6) was inferred twice: one pod, every namespace once.
      for (const ref of inferred.netns)
        if (!pod.netns.some((r) => r.host === ref.host && r.netns === ref.netns)) pod.netns.push(ref);
      continue;
    }
    const joined: Pod = {
      name: kube.name,
      namespace: kube.namespace,
      ips: kube.ips,
      netns: [...inferred.netns],
      ...(kube.node !== undefined ? { node: kube.node } : inferred.node !== undefined ? { node: inferred.node } : {}),
      inferred: false,
    };
    named.set(kube, joined);
    out.push(joined);
  }
  return out;
}
