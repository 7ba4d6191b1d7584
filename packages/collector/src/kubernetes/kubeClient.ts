import type { CoreV1Api, DiscoveryV1Api, KubeConfig } from '@kubernetes/client-node';

/** The kubeconfig a collection names (the given file, else KUBECONFIG, ~/.kube/config or in-cluster). */
async function loadKubeConfig(kubeconfig: string | undefined): Promise<KubeConfig> {
  // Loaded on first use: the client takes ~100 ms and ~20 MiB to load, and most runs never ask the API.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new Error(`kubeconfig ${kubeconfig ?? '(default)'}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  return kc;
}

/** The core/v1 API of the cluster a kubeconfig names, and its server (for messages). */
export async function coreApi(kubeconfig: string | undefined): Promise<{ api: CoreV1Api; server: string }> {
  const kc = await loadKubeConfig(kubeconfig);
  const { CoreV1Api } = await import('@kubernetes/client-node');
  return { api: kc.makeApiClient(CoreV1Api), server: kc.getCurrentCluster()?.server ?? '' };
}

/** The core/v1 and discovery.k8s.io/v1 APIs of the cluster a kubeconfig names, and its server. */
export async function serviceApis(
  kubeconfig: string | undefined,
): Promise<{ core: CoreV1Api; discovery: DiscoveryV1Api; server: string }> {
  const kc = await loadKubeConfig(kubeconfig);
  const { CoreV1Api, DiscoveryV1Api } = await import('@kubernetes/client-node');
  return {
    core: kc.makeApiClient(CoreV1Api),
    discovery: kc.makeApiClient(DiscoveryV1Api),
    server: kc.getCurrentCluster()?.server ?? '',
  };
}

/** One API call with a deadline; failures become one line naming the server. */
export async function ask<T>(server: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the Kubernetes API did not answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (e) {
    const err = e as Error & { code?: number };
    const why = err.code ? `answered ${err.code}` : err.message.split('\n')[0];
    throw new Error(`Kubernetes API ${server}: ${why}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}
