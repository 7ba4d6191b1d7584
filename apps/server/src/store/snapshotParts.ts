import { createHash } from 'node:crypto';
import type { HostInventory, LinkStats, Pod, Snapshot } from '@hoplens/model';

/**
 * A snapshot cut into what repeats from one collection to the next and what does not. A host's
 * inventory without its collection time and link counters (its "shape") is the same in every
 * snapshot of an unchanged host, so it is stored once by content hash; so is each run of pods that
 * live on the same host. What changes every time (times, counters) stays with the snapshot.
 */
export interface SnapshotParts {
  /** One per host, in order. */
  readonly hosts: readonly Part[];
  /** Consecutive pods of one host, in order: concatenated, they are the snapshot's pods. */
  readonly pods: readonly Part[];
  /** Per host: milliseconds after `createdAt`, or the string itself where that would not give it back exactly. */
  readonly times: readonly (number | string)[];
  /** `[host, netns, link, ...counters]` for every link that has counters. */
  readonly stats: readonly number[][];
}

/** A piece stored once by the hash of its JSON. */
export interface Part {
  readonly hash: string;
  readonly json: string;
}

/** What a stored snapshot row holds: its parts by blob id, and what changes every time. */
export interface Manifest {
  readonly v: 2;
  readonly format: number;
  readonly id: string;
  readonly createdAt: string;
  readonly source: string;
  readonly hosts: readonly number[];
  readonly pods: readonly number[];
  readonly times: readonly (number | string)[];
  readonly stats: readonly number[][];
}

/** LinkStats fields in a fixed order, so counters travel as plain number arrays. */
const COUNTERS = [
  'rxPackets',
  'rxBytes',
  'rxErrors',
  'rxDropped',
  'txPackets',
  'txBytes',
  'txErrors',
  'txDropped',
  'rxOtherhostDropped',
] as const satisfies readonly (keyof LinkStats)[];

const part = (value: unknown): Part => {
  const json = JSON.stringify(value);
  return { hash: createHash('sha256').update(json).digest('hex'), json };
};

/** Cuts a snapshot into its parts (nothing is compressed here: a part already stored is never gzipped again). */
export function splitSnapshot(snapshot: Snapshot): SnapshotParts {
  const created = Date.parse(snapshot.createdAt);
  const stats: number[][] = [];
  const hosts = snapshot.hosts.map((host, h) => {
    const { namespaces, ...rest } = host;
    delete (rest as Partial<HostInventory>).collectedAt;
    const shape = {
      ...rest,
      namespaces: namespaces.map((ns, n) => ({
        ...ns,
        links: ns.links.map((link, l) => {
          const { stats: counters, ...bare } = link;
          if (counters)
            stats.push([h, n, l, ...COUNTERS.flatMap((c) => (counters[c] === undefined ? [] : [counters[c]]))]);
          return bare;
        }),
      })),
    };
    return part(shape);
  });
  const times = snapshot.hosts.map((h) => {
    const t = Date.parse(h.collectedAt);
    return Number.isFinite(t) && Number.isFinite(created) && new Date(t).toISOString() === h.collectedAt
      ? t - created
      : h.collectedAt;
  });
  return { hosts, pods: podRuns(snapshot.pods).map(part), times, stats };
}

/** Pods grouped into runs of consecutive pods on one host (the first namespace's), order kept. */
function podRuns(pods: readonly Pod[]): Pod[][] {
  const runs: Pod[][] = [];
  let host: string | undefined;
  for (const pod of pods) {
    const h = pod.netns[0]?.host ?? '';
    const last = runs[runs.length - 1];
    if (last && h === host) last.push(pod);
    else runs.push([pod]);
    host = h;
  }
  return runs;
}

/** The snapshot again from its manifest and the JSON of the blobs it names (unchecked: the caller validates). */
export function joinSnapshot(manifest: Manifest, blobs: ReadonlyMap<number, string>): unknown {
  const blob = (id: number): unknown => {
    const json = blobs.get(id);
    if (json === undefined) throw new MissingPartError(`snapshot ${manifest.id}: stored part ${id} is missing`);
    return JSON.parse(json);
  };
  const created = Date.parse(manifest.createdAt);
  const hosts = manifest.hosts.map((id, h) => {
    const { name, kind, ...shape } = blob(id) as Omit<HostInventory, 'collectedAt'>;
    const t = manifest.times[h];
    const collectedAt = typeof t === 'number' ? new Date(created + t).toISOString() : (t ?? '');
    return { name, kind, collectedAt, ...shape };
  });
  for (const [h, n, l, ...values] of manifest.stats) {
    const link = hosts[h ?? -1]?.namespaces[n ?? -1]?.links[l ?? -1];
    if (!link) throw new MissingPartError(`snapshot ${manifest.id}: counters for a link it does not have`);
    link.stats = Object.fromEntries(values.map((v, i) => [COUNTERS[i], v])) as LinkStats;
  }
  return {
    format: manifest.format,
    id: manifest.id,
    createdAt: manifest.createdAt,
    source: manifest.source,
    hosts,
    pods: manifest.pods.flatMap((id) => blob(id) as Pod[]),
  };
}

/** A stored snapshot names a part that is not there: the store is damaged, never silently "not found". */
export class MissingPartError extends Error {
  override readonly name = 'MissingPartError';
}
