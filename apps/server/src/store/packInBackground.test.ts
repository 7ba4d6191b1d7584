import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { packInBackground } from './packInBackground.ts';
import { packParts, unpackParts } from './packedParts.ts';
import type { SnapshotParts } from './snapshotParts.ts';
import type * as WorkerThread from '../workerThread.ts';

/** Counts the threads started (the real ones still run). */
const started = vi.hoisted(() => ({ threads: 0 }));
vi.mock('../workerThread.ts', async (real) => {
  const m = await real<typeof WorkerThread>();
  return {
    workerThread: (...args: Parameters<typeof m.workerThread>) => {
      started.threads++;
      return m.workerThread(...args);
    },
  };
});

const hash = (c: string): string => c.repeat(64);
const parts: SnapshotParts = {
  hosts: Array.from({ length: 300 }, (_, i) => ({
    hash: hash('a'),
    // Not only ASCII: the bytes handed to the thread are the JSON's UTF-8.
    json: JSON.stringify({ name: `node-${i}`, note: 'naïve ×', links: Array.from({ length: i % 7 }, (_, l) => l) }),
  })),
  pods: [{ hash: hash('c'), json: '[{"name":"web"}]' }],
  kube: [{ hash: hash('d'), json: '{"services":[]}' }],
  times: [0, 'kept as written'],
  stats: [[0, 0, 1, 5, 700, 0, 3, 2, 9, 0, 0]],
};

describe('parts gzipped beside the analysis', () => {
  it('on a thread of their own are what packing them here gives, byte for byte', async () => {
    const before = started.threads;
    const there = await packInBackground(parts, 0).done;
    expect(started.threads).toBe(before + 1);
    const here = packParts(parts);
    expect(Buffer.from(there.gz).equals(Buffer.from(here.gz))).toBe(true);
    expect([...there.ends]).toEqual([...here.ends]);
    expect(there.hashes).toBe(here.hashes);
    expect(there.counts).toEqual(here.counts);
    expect([...there.stats]).toEqual([...here.stats]);
    const back = unpackParts(there);
    expect(back.hosts.map((p) => gunzipSync(p.gz).toString('utf8'))).toEqual(parts.hosts.map((p) => p.json));
  });

  it('stop when cancelled, without an unhandled failure', async () => {
    const packing = packInBackground(parts, 0);
    packing.cancel();
    await expect(packing.done).rejects.toThrow(/gzip thread stopped/);
  });

  it('are packed on the caller’s thread below the size a thread is worth', async () => {
    const before = started.threads;
    const packing = packInBackground(parts);
    expect(Buffer.from((await packing.done).gz).equals(Buffer.from(packParts(parts).gz))).toBe(true);
    expect(started.threads).toBe(before);
  });

  it('packed here and cancelled, leave no unhandled failure where packing fails', async () => {
    const bad: SnapshotParts = { ...parts, hosts: [{ hash: 'short', json: '{}' }] };
    const packing = packInBackground(bad);
    packing.cancel();
    await expect(packing.done).rejects.toThrow(/a hash of 5 characters/);
  });
});
