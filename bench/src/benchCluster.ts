import { generateCluster } from '@hoplens/lab';
import type { HostInventory, Snapshot } from '@hoplens/model';

/**
 * The model bench's synthetic cluster (a tenth of the pods peer pods, ten faults, seed 42), as the
 * analysis tools build it from their `--nodes` and `--pods` options: their digests then compare
 * with the bench's.
 */
export function benchCluster(nodes: string | undefined, pods: string | undefined): ReturnType<typeof generateCluster> {
  return generateCluster({
    nodes: Number(nodes),
    podsPerNode: Number(pods),
    peerPodShare: 0.1,
    faults: 10,
    seed: 42,
  });
}

/**
 * That cluster written out as bytes and parsed back once the generator's objects are collected
 * (with `--expose-gc`): what the server holds, a snapshot parsed from JSON (see modelWorker).
 */
export function parsedBenchCluster(nodes: string | undefined, pods: string | undefined): Snapshot {
  const serialized = ((): { head: string; hosts: Buffer[] } => {
    const { snapshot } = benchCluster(nodes, pods);
    const hosts = snapshot.hosts.map((h) => Buffer.from(JSON.stringify(h)));
    return { head: JSON.stringify({ ...snapshot, hosts: [] }), hosts };
  })();
  (globalThis as { gc?: () => void }).gc?.();
  return {
    ...(JSON.parse(serialized.head) as Snapshot),
    hosts: serialized.hosts.map((b) => JSON.parse(b.toString('utf8')) as HostInventory),
  };
}

/** CPU of this process so far (user + system), in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
