import { assetUrl } from '@hoplens/collector';
import { workerThread } from '../workerThread.ts';
import { allParts, packedWith, packParts, type PackedParts } from './packedParts.ts';
import type { Part, SnapshotParts } from './snapshotParts.ts';

const ENTRY = assetUrl(import.meta.url, { source: './packWorker.ts', built: './packWorker.js' });

/** What packWorker.ts is given: every part's JSON, one after another, and where each ends. */
export interface PackRequest {
  readonly raw: ArrayBuffer;
  readonly ends: Float64Array;
}
/** What packWorker.ts answers: gzipSlices' result. */
export interface PackAnswer {
  readonly gz: Uint8Array;
  readonly ends: Float64Array;
}

/** An import's parts being gzipped; `cancel` stops it (the analysis failed: nothing will be stored). */
export interface Packing {
  readonly done: Promise<PackedParts>;
  cancel(): void;
}

/**
 * Below this many bytes of JSON, parts are gzipped at once on the caller's thread: starting a
 * thread costs more than it saves.
 */
export const BACKGROUND_MIN_BYTES = 16 * 2 ** 20;

/**
 * Gzips an import's parts on a thread of its own (packWorker.ts) while the caller goes on with the
 * analysis: on a 5,000-node snapshot the gzips take ~6 s of CPU, now beside the analysis instead of
 * after it. The parts' JSON is copied into one buffer handed over to that thread, so its strings
 * are garbage before the analysis begins. Small snapshots (BACKGROUND_MIN_BYTES) are packed at once.
 */
export function packInBackground(parts: SnapshotParts, minBytes = BACKGROUND_MIN_BYTES): Packing {
  const all = allParts(parts);
  let total = 0;
  for (const p of all) total += Buffer.byteLength(p.json);
  return total < minBytes ? packHere(parts) : packThere(parts, all, total);
}

/** Packed on this thread, once the caller's synchronous work is done. */
function packHere(parts: SnapshotParts): Packing {
  const done = Promise.resolve(parts).then(packParts);
  return { done, cancel: () => void done.catch(() => undefined) };
}

/**
 * Packed by packWorker.ts. Its own function, so that no closure here holds `parts`: V8 keeps a
 * function's captured variables in one context that all its closures share, and `cancel` lives as
 * long as the analysis does.
 */
function packThere(parts: SnapshotParts, all: readonly Part[], total: number): Packing {
  const raw = new Uint8Array(total);
  const ends = new Float64Array(all.length);
  const encoder = new TextEncoder();
  let at = 0;
  all.forEach((p, i) => {
    at += encoder.encodeInto(p.json, raw.subarray(at)).written;
    ends[i] = at;
  });
  // The rest of the packed form keeps hashes, counts, times and counters, not the JSON.
  const bare: SnapshotParts = {
    ...parts,
    hosts: parts.hosts.map(hashOnly),
    pods: parts.pods.map(hashOnly),
    kube: parts.kube.map(hashOnly),
  };
  const worker = workerThread(ENTRY, {});
  worker.unref();
  const done = new Promise<PackedParts>((resolve, reject) => {
    worker.once('message', (answer: PackAnswer) => {
      try {
        resolve(packedWith(bare, answer));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the gzip thread stopped (exit ${code}) before it answered`)));
  });
  worker.postMessage({ raw: raw.buffer, ends } satisfies PackRequest, [raw.buffer]);
  return {
    done,
    cancel: () => {
      done.catch(() => undefined);
      void worker.terminate();
    },
  };
}

const hashOnly = (p: { readonly hash: string }): { hash: string; json: string } => ({ hash: p.hash, json: '' });
