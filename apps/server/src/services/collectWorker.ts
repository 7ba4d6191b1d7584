import { parentPort, workerData } from 'node:worker_threads';
import { collectKept, kubernetesPods, kubernetesServices, snapshotName, type SourceProgress } from '@hoplens/collector';
import type { KubePod, KubeServices, SourcesConfig } from '@hoplens/model';
import { AnswerRelay, ownBytes, placeOf } from './answerRelay.ts';
import type { CollectControl, CollectMessage, TimedProgress } from './collectProtocol.ts';
import type { CollectPlan } from './collectPlan.ts';
import { collectInChild, killChildren } from './collectInChild.ts';

/**
 * Worker entry for one collection run (see Collections): every source asked, parsed and checked
 * here, so thousands of answers never stall the API's thread. Posts progress per source (the
 * Kubernetes API is the source after the last) with each answer as it arrives (AnswerRelay: the
 * analysis worker reads them while the rest arrive), then the plan of the snapshot.
 */
const port = parentPort;
if (!port) throw new Error('collectWorker.ts runs in a worker thread');
const config = (workerData as { config: SourcesConfig }).config;
// Stopped (the run will make no snapshot): this machine's collector is killed with the thread,
// which drops the fetches in flight. Unreferenced: the worker still ends on its own when done.
port.on('message', (m: CollectControl) => {
  if (m.kind !== 'stop') return;
  killChildren();
  process.exit(0);
});
port.unref();
const post = (m: CollectMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
/** Progress waiting to be posted: 5,000 agents make 10,000 updates, each a message on the API's thread otherwise. */
let updates: TimedProgress[] = [];
let flushing: NodeJS.Timeout | undefined;
const schedule = (): void => {
  flushing ??= setTimeout(flush, PROGRESS_EVERY_MS);
};
const relay = new AnswerRelay(schedule);
const flush = (): void => {
  clearTimeout(flushing);
  flushing = undefined;
  const answers = relay.take();
  if (updates.length > 0 || answers.length > 0)
    post(
      { kind: 'progress', updates, answers },
      answers.map((a) => a.json.buffer as ArrayBuffer),
    );
  updates = [];
};
const progress = (p: SourceProgress): void => {
  updates.push({ ...p, at: Date.now() });
  schedule();
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
    collectKept(
      config,
      { collectLocal: async (map) => (await collectInChild(map, 'local')).hosts, onProgress: progress },
      relay.keep,
    ),
    kubeObjects(),
  ]);
  const plan: CollectPlan = { source: snapshotName(config), hosts: hosts.map(placeOf), ...kube };
  const json = ownBytes(Buffer.from(JSON.stringify(plan)));
  flush();
  post({ kind: 'collected', plan: json }, [json.buffer as ArrayBuffer]);
} catch (e) {
  flush();
  post({ kind: 'error', message: (e as Error).message });
}
