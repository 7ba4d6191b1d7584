import { parentPort } from 'node:worker_threads';
import { gzipSlices } from './gzipSlices.ts';
import type { PackRequest, PackAnswer } from './packInBackground.ts';

/** Worker entry: gzips one import's parts (see packInBackground), answers once, and is done. */
const port = parentPort;
if (!port) throw new Error('packWorker.ts runs in a worker thread');
port.once('message', ({ raw, ends }: PackRequest) => {
  const bytes = new Uint8Array(raw);
  const packed = gzipSlices(ends.length, (i) => bytes.subarray(i === 0 ? 0 : ends[i - 1], ends[i]));
  port.postMessage(packed satisfies PackAnswer, [packed.gz.buffer as ArrayBuffer, packed.ends.buffer as ArrayBuffer]);
});
