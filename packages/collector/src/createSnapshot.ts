import { randomBytes } from 'node:crypto';
import { inferPods, SNAPSHOT_FORMAT, type HostInventory, type Snapshot } from '@hoplens/model';

/** An unguessable snapshot id: 128 random bits, base64url. */
export const newSnapshotId = (): string => randomBytes(16).toString('base64url');

/** Wraps host inventories into a new immutable snapshot, inferring pods from the namespaces. */
export function createSnapshot(hosts: HostInventory[], source: string): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    id: newSnapshotId(),
    createdAt: new Date().toISOString(),
    source,
    hosts,
    pods: inferPods(hosts),
  };
}
