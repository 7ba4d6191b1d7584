import type { V1Pod } from '@kubernetes/client-node';
import { KubePodSchema, validate, type KubePod } from '@hoplens/model';
import { ask, coreApi } from './kubeClient.ts';

export const DEFAULT_KUBERNETES_TIMEOUT_MS = 10_000;

/**
 * Every pod of the cluster, as far as hoplens needs it (name, namespace, IPs, node), from the API
 * server a kubeconfig names (the given file, else KUBECONFIG, ~/.kube/config or the in-cluster
 * service account). Rejects with a one-line reason when the API cannot be asked.
 */
export async function kubernetesPods(
  kubeconfig: string | undefined,
  timeoutMs = DEFAULT_KUBERNETES_TIMEOUT_MS,
): Promise<KubePod[]> {
  const { api, server } = await coreApi(kubeconfig);
  const list = await ask(server, timeoutMs, () => api.listPodForAllNamespaces());
  return list.items.flatMap((p) => kubePod(p));
}

/** A node's name and the address its host-network agent listens on. */
export interface KubeNode {
  readonly name: string;
  readonly address: string;
}

/** Every node with an InternalIP, from the API server a kubeconfig names (see kubernetesPods). */
export async function kubernetesNodes(
  kubeconfig: string | undefined,
  timeoutMs = DEFAULT_KUBERNETES_TIMEOUT_MS,
): Promise<KubeNode[]> {
  const { api, server } = await coreApi(kubeconfig);
  const list = await ask(server, timeoutMs, () => api.listNode());
  return list.items.flatMap((n) => {
    const name = n.metadata?.name;
    const address = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    return name && address ? [{ name, address }] : [];
  });
}

/** A pod as hoplens keeps it, checked at the edge; pods without a name or an IP yet are skipped. */
function kubePod(p: V1Pod): KubePod[] {
  const ips = (p.status?.podIPs ?? []).map((i) => i.ip).filter((ip): ip is string => Boolean(ip));
  if (ips.length === 0 && p.status?.podIP) ips.push(p.status.podIP);
  const name = p.metadata?.name;
  if (!name || ips.length === 0) return [];
  return [
    validate(
      KubePodSchema,
      {
        name,
        namespace: p.metadata?.namespace ?? 'default',
        ips,
        ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
        hostNetwork: p.spec?.hostNetwork === true,
      },
      'Kubernetes pod',
    ),
  ];
}
