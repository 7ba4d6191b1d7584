import { generateCluster } from '@hoplens/lab';

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
