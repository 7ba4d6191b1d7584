import type { CollectError, HostInventory, HostMap, HostMapEntry } from '@hoplens/model';
import type { RawNetns } from './collectNetns.ts';
import { collectNetlink } from './netlink/collectNetlink.ts';
import { hostMapJobs, type NetnsJob } from './netlink/netnsJob.ts';
import { helperBinary } from './netlink/helperBinary.ts';
import type { StartedHelper } from './netlink/startHelper.ts';
import { collectOvs } from './ovs/collectOvs.ts';
import { DEFAULT_OVS_DB_SOCKET } from './ovs/vswitchdControl.ts';
import { mapLimit } from './mapLimit.ts';
import { withPeerPodIntent } from './readPeerPodIntent.ts';
import { resolveInventory, type CollectedHost } from './resolveInventory.ts';

/** Progress of a collection: namespaces done of the total. */
export type CollectProgress = (done: number, total: number) => void;

/**
 * How namespaces are read: `netlink` asks the kernel directly, from one helper process for all of
 * them (a 250-pod node in tens of milliseconds); `iproute2` runs `ip`, `tc` and `bridge` in each
 * namespace and keeps their text output in the inventory, as a support case wants it.
 */
export type CollectBackend = 'netlink' | 'iproute2';

export interface CollectOptions {
  readonly backend?: CollectBackend;
  readonly onProgress?: CollectProgress;
  /** The netlink helper started before this collection (see startHelperEarly): taken if it runs on these namespaces. */
  readonly early?: StartedHelper;
}

/**
 * Collects every namespace of a host map from the local kernel and groups them into hosts, with a
 * host's Open vSwitch and a pod VM's intended pod network where there are. A namespace that cannot be
 * read is an error on its host, never a lost collection. With the netlink
 * backend (the default), a helper that cannot be built or run falls back to iproute2.
 */
export async function collectLocal(map: HostMap, opts: CollectOptions = {}): Promise<HostInventory[]> {
  const jobs = hostMapJobs(map.hosts);
  const results = await collectJobs(jobs, opts);
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
  const inventories = resolveInventory(hosts);
  return Promise.all(
    inventories.map(async (inv, i) => {
      const entry = map.hosts[i];
      return withPeerPodIntent(await withOvs(inv, entry), entry?.peerPodConfig);
    }),
  );
}

/**
 * A host's Open vSwitch, read the same whichever backend read its namespaces: at the socket the host
 * map names, or at the default one for a host that is this machine itself (its root is the
 * collector's own namespace, where the machine's switch runs).
 */
function withOvs(inv: HostInventory, entry: HostMapEntry | undefined): Promise<HostInventory> {
  if (entry?.ovsDbSocket !== undefined) return collectOvs(inv, entry.ovsDbSocket, true);
  if (entry?.root === null) return collectOvs(inv, DEFAULT_OVS_DB_SOCKET, false);
  return Promise.resolve(inv);
}

async function collectJobs(
  jobs: readonly NetnsJob[],
  { backend = 'netlink', onProgress, early }: CollectOptions,
): Promise<(RawNetns | { error: CollectError })[]> {
  if (backend === 'netlink') {
    try {
      const results = await collectNetlink(await helperBinary(), jobs, undefined, early);
      onProgress?.(jobs.length, jobs.length);
      return results;
    } catch (e) {
      process.emitWarning(`netlink collection failed, collecting with iproute2: ${(e as Error).message}`);
    }
  }
  // Loaded only here: iproute2's JSON is checked with the schema library (TypeBox), which the netlink
  // backend never needs; the built collect.cjs loads this module from a file of its own.
  const { collectNetns } = await import('./collectNetns.ts');
  let done = 0;
  return mapLimit(jobs, 8, async (job) => {
    const r = await collectNetns(job);
    onProgress?.(++done, jobs.length);
    return r;
  });
}
