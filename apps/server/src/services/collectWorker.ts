import { parentPort, workerData } from 'node:worker_threads';
import { collectSources, createSnapshot, kubernetesPods, snapshotName, type SourceProgress } from '@hoplens/collector';
import type { KubePod, SourcesConfig } from '@hoplens/model';
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

async function kubePods(): Promise<KubePod[] | undefined> {
  const k = config.kubernetes;
  if (!k) return undefined;
  const report = (state: 'collecting' | 'done' | 'failed', message?: string): void =>
    progress({ index: KUBERNETES, source: '', state, hosts: 0, ...(message ? { message } : {}) });
  report('collecting');
  try {
    const pods = await kubernetesPods(k.kubeconfig, k.timeoutMs);
    report('done');
    return pods;
  } catch (e) {
    report('failed', `${(e as Error).message}; pods are inferred`);
    return undefined;
  }
}

try {
  const [hosts, pods] = await Promise.all([
    collectSources(config, {
      collectLocal: async (map) => (await collectInChild(map, 'local')).hosts,
      onProgress: progress,
    }),
    kubePods(),
  ]);
  const json = Buffer.from(JSON.stringify(createSnapshot(hosts, snapshotName(config), pods)));
  // A buffer of its own is handed over whole; a small one may sit in Node's shared pool: copy it out.
  const own = json.byteOffset === 0 && json.byteLength === json.buffer.byteLength ? json : Uint8Array.from(json);
  flush();
  post({ kind: 'snapshot', json: own }, [own.buffer]);
} catch (e) {
  flush();
  post({ kind: 'error', message: (e as Error).message });
}
