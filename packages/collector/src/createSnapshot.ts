import { closeSync, openSync, readSync } from 'node:fs';
import {
  DUMP_FORMAT,
  inferPods,
  joinPods,
  SNAPSHOT_FORMAT,
  type Dump,
  type HostInventory,
  type KubePod,
  type KubeServices,
  type Snapshot,
} from '@hoplens/model';

/**
 * An unguessable snapshot id: 128 random bits, base64url. The bits come from /dev/urandom, the
 * kernel's CSPRNG that node:crypto's randomBytes draws from as well: loading node:crypto for 16
 * bytes cost a `collect` ~8 ms and 240 page faults.
 */
export function newSnapshotId(): string {
  const bits = Buffer.alloc(16);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let got = 0; got < bits.length;) {
      const n = readSync(fd, bits, got, bits.length - got, null);
      if (n <= 0) throw new Error('/dev/urandom gave no bytes');
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  return bits.toString('base64url');
}

/**
 * Wraps host inventories into a new immutable snapshot. Pods are named by Kubernetes where its
 * pods are given (joined by IP), and inferred from the namespaces otherwise; Services and
 * EndpointSlices are kept where the Kubernetes API gave them.
 */
export function createSnapshot(
  hosts: HostInventory[],
  source: string,
  kubePods?: readonly KubePod[],
  kubeServices?: KubeServices,
): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    id: newSnapshotId(),
    createdAt: new Date().toISOString(),
    source,
    hosts,
    pods: kubePods ? joinPods(hosts, kubePods) : inferPods(hosts),
    ...(kubeServices === undefined ? {} : { kubernetes: kubeServices }),
  };
}

/** Wraps one machine's host inventories as a dump: what `hoplens dump` writes and an agent answers. */
export function createDump(hosts: HostInventory[]): Dump {
  return { kind: 'hoplens-dump', format: DUMP_FORMAT, createdAt: new Date().toISOString(), hosts };
}
