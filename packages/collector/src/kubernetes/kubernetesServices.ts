import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import {
  KubeEndpointSliceSchema,
  KubeServiceSchema,
  MAX_KUBE_ENDPOINT_SLICES,
  MAX_KUBE_SERVICES,
  validate,
  type KubeEndpointSlice,
  type KubeService,
  type KubeServices,
} from '@hoplens/model';
import { ask, serviceApis } from './kubeClient.ts';
import { DEFAULT_KUBERNETES_TIMEOUT_MS } from './kubernetesPods.ts';

/**
 * Every Service and EndpointSlice (discovery.k8s.io/v1) of the cluster, as far as a trace needs
 * them, from the API server a kubeconfig names (see kubernetesPods). Each object is checked at the
 * edge: one that is not valid, or past the bound, is left out and counted, never the whole list.
 */
export async function kubernetesServices(
  kubeconfig: string | undefined,
  timeoutMs = DEFAULT_KUBERNETES_TIMEOUT_MS,
): Promise<KubeServices> {
  const { core, discovery, server } = await serviceApis(kubeconfig);
  const [services, slices] = await Promise.all([
    ask(server, timeoutMs, () => core.listServiceForAllNamespaces()),
    ask(server, timeoutMs, () => discovery.listEndpointSliceForAllNamespaces()),
  ]);
  let skipped = 0;
  const keep = <T>(items: readonly unknown[], max: number, read: (x: never) => T): T[] => {
    const out: T[] = [];
    for (const x of items) {
      if (out.length >= max) {
        skipped++;
        continue;
      }
      try {
        out.push(read(x as never));
      } catch {
        skipped++;
      }
    }
    return out;
  };
  return {
    services: keep(services.items, MAX_KUBE_SERVICES, kubeService),
    endpointSlices: keep(slices.items, MAX_KUBE_ENDPOINT_SLICES, kubeEndpointSlice),
    skipped,
  };
}

const portName = (name: string | undefined): string => name ?? '';

function kubeService(s: V1Service): KubeService {
  const ips = s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : []);
  return validate(
    KubeServiceSchema,
    {
      namespace: s.metadata?.namespace ?? 'default',
      name: s.metadata?.name ?? '',
      type: s.spec?.type ?? 'ClusterIP',
      clusterIps: ips.filter((ip) => ip !== 'None'),
      ports: (s.spec?.ports ?? []).map((p) => ({
        name: portName(p.name),
        protocol: p.protocol ?? 'TCP',
        port: p.port,
      })),
    },
    'Kubernetes Service',
  );
}

function kubeEndpointSlice(e: V1EndpointSlice): KubeEndpointSlice {
  return validate(
    KubeEndpointSliceSchema,
    {
      namespace: e.metadata?.namespace ?? 'default',
      name: e.metadata?.name ?? '',
      service: e.metadata?.labels?.['kubernetes.io/service-name'] ?? '',
      addressType: e.addressType,
      // A port without a number means "all ports" (no Service selects that way): nothing to DNAT to.
      ports: (e.ports ?? []).flatMap((p) =>
        p.port === undefined ? [] : [{ name: portName(p.name), protocol: p.protocol ?? 'TCP', port: p.port }],
      ),
      endpoints: (e.endpoints ?? []).map((x) => ({
        addresses: x.addresses,
        // The API: an unknown ready condition is to be read as ready.
        ready: x.conditions?.ready !== false,
      })),
    },
    'Kubernetes EndpointSlice',
  );
}
