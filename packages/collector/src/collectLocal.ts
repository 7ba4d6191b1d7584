import type { CollectError, HostInventory, HostMap } from '@hoplens/model';
import { collectNetns, type RawNetns } from './collectNetns.ts';
import { resolveInventory, type CollectedHost } from './resolveInventory.ts';

/** Progress of a collection, one event per namespace done. */
export type CollectProgress = (done: number, total: number) => void;

/**
 * Collects every namespace of a host map from the local kernel, a few at a time, and groups them
 * into hosts. A namespace that cannot be read is an error on its host, never a lost collection.
 */
export async function collectLocal(map: HostMap, onProgress?: CollectProgress): Promise<HostInventory[]> {
  const jobs = map.hosts.flatMap((entry) => [
    { entry, name: entry.root, root: true },
    ...entry.netns.map((name) => ({ entry, name, root: false })),
  ]);
  let done = 0;
  const results = await mapLimit(jobs, 8, async (job) => {
    const r = await collectNetns(job.name, job.root);
    onProgress?.(++done, jobs.length);
    return r;
  });
  const hosts: CollectedHost[] = map.hosts.map((entry) => {
    const namespaces: RawNetns[] = [];
    const errors: CollectError[] = [];
    jobs.forEach((job, i) => {
      const r = results[i];
      if (job.entry !== entry || !r) return;
      if ('error' in r) errors.push(r.error);
      else namespaces.push(r);
    });
    return { entry, namespaces, errors, collectedAt: new Date().toISOString() };
  });
  return resolveInventory(hosts);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
