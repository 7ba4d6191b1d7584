import { parentPort, workerData } from 'node:worker_threads';
import { collectSources, createSnapshot, kubernetesPods, snapshotName } from '@hoplens/collector';
import type { KubePod, SourcesConfig } from '@hoplens/model';
import type { CollectMessage } from './collectProtocol.ts';
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
const KUBERNETES = config.sources.length;

async function kubePods(): Promise<KubePod[] | undefined> {
  const k = config.kubernetes;
  if (!k) return undefined;
  const report = (state: 'collecting' | 'done' | 'failed', message?: string): void =>
    post({ kind: 'progress', index: KUBERNETES, source: '', state, hosts: 0, ...(message ? { message } : {}) });
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
      onProgress: (p) => post({ kind: 'progress', ...p }),
    }),
    kubePods(),
  ]);
  const json = Buffer.from(JSON.stringify(createSnapshot(hosts, snapshotName(config), pods)));
  // A buffer of its own is handed over whole; a small one may sit in Node's shared pool: copy it out.
  const own = json.byteOffset === 0 && json.byteLength === json.buffer.byteLength ? json : Uint8Array.from(json);
  post({ kind: 'snapshot', json: own }, [own.buffer as ArrayBuffer]);
} catch (e) {
  post({ kind: 'error', message: (e as Error).message });
}
