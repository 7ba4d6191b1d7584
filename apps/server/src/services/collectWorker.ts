import { parentPort, workerData } from 'node:worker_threads';
import {
  collectSources,
  createSnapshot,
  kubernetesPods,
  kubernetesServices,
  snapshotName,
  type SourceProgress,
} from '@hoplens/collector';
import type { KubePod, KubeServices, SourcesConfig } from '@hoplens/model';
import type { CollectMessage, TimedProgress } from './collectProtocol.ts';
import { collectInChild } from './collectInChild.ts';

/**
 * Worker entry for one collection run (see CollectionRun): every source asked, parsed and checked
 * here, the snapshot written out here, so thousands of answers never stall the API's thread. Posts
 * progress per source (the Kubernetes API is the source after the last), then the snapshot's JSON.
 */
const port = parentPort;
if (!port) throw new Error('collectWorker.ts runs in a worker thread');
const config = (workerData as { config: SourcesConfig }).config;
const post = (m: CollectMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
/** Progress waiting to be posted: 5,000 agents make 10,000 updates, each a message on the API's thread otherwise. */
let updates: TimedProgress[] = [];
let flushing: NodeJS.Timeout | undefined;
const flush = (): void => {
  clearTimeout(flushing);
  flushing = undefined;
  if (updates.length > 0) post({ kind: 'progress', updates });
  updates = [];
};
const progress = (p: SourceProgress): void => {
  updates.push({ ...p, at: Date.now() });
  flushing ??= setTimeout(flush, PROGRESS_EVERY_MS);
};
const KUBERNETES = config.sources.length;
const PROGRESS_EVERY_MS = 50;

/**
 * Pods, Services and EndpointSlices from the Kubernetes API, one progress line for both: without
 * pods they are inferred, without Services these are read from kube-proxy's rules, and it says so.
 */
async function kubeObjects(): Promise<{ pods?: KubePod[]; services?: KubeServices }> {
  const k = config.kubernetes;
  if (!k) return {};
  const report = (state: 'collecting' | 'done' | 'failed', message?: string): void =>
    progress({ index: KUBERNETES, source: '', state, hosts: 0, ...(message ? { message } : {}) });
  report('collecting');
  const [pods, services] = await Promise.allSettled([
    kubernetesPods(k.kubeconfig, k.timeoutMs),
    kubernetesServices(k.kubeconfig, k.timeoutMs),
  ]);
  const failed = [
    ...(pods.status === 'rejected' ? [`${(pods.reason as Error).message}; pods are inferred`] : []),
    ...(services.status === 'rejected'
      ? [`${(services.reason as Error).message}; Services are read from kube-proxy's rules`]
      : []),
  ];
  if (failed.length > 0) report('failed', failed.join('; '));
  else report('done');
  return {
    ...(pods.status === 'fulfilled' ? { pods: pods.value } : {}),
    ...(services.status === 'fulfilled' ? { services: services.value } : {}),
  };
}

try {
  const [hosts, kube] = await Promise.all([
    collectSources(config, {
      collectLocal: async (map) => (await collectInChild(map, 'local')).hosts,
      onProgress: progress,
    }),
    kubeObjects(),
  ]);
  const json = Buffer.from(JSON.stringify(createSnapshot(hosts, snapshotName(config), kube.pods, kube.services)));
  // A buffer of its own is handed over whole; a small one may sit in Node's shared pool: copy it out.
  const own = json.byteOffset === 0 && json.byteLength === json.buffer.byteLength ? json : Uint8Array.from(json);
  flush();
  post({ kind: 'snapshot', json: own }, [own.buffer]);
} catch (e) {
  flush();
  post({ kind: 'error', message: (e as Error).message });
}
