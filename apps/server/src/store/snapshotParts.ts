import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { HostInventory, Link, LinkStats, Pod, Snapshot } from '@hoplens/model';
import { canonicalJson } from './canonicalJson.ts';
import { partTexts } from './partTexts.ts';
import { checkedWith, storedDigest } from './storedMark.ts';

/**
 * A snapshot cut into what repeats from one collection to the next and what does not. A host's
 * inventory without its collection time and link counters (its "shape") is the same in every
 * snapshot of an unchanged host, so it is stored once by content hash; so is each run of pods that
 * live on the same host. What changes every time (times, counters) stays with the snapshot.
 */
export interface SnapshotParts<P extends Part | PackedPart = Part> {
  /** One per host, in order. */
  readonly hosts: readonly P[];
  /** Consecutive pods of one host, in order: concatenated, they are the snapshot's pods. */
  readonly pods: readonly P[];
  /** The Kubernetes API's Services and EndpointSlices, where the snapshot has them: none or one. */
  readonly kube: readonly P[];
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

/** A part already gzipped as the store keeps it (by the analysis worker, so the API's thread does not: see packedParts.ts). */
export interface PackedPart {
  readonly hash: string;
  readonly gz: Uint8Array;
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
  /** The Kubernetes API's Services part; absent in manifests stored before it was kept. */
  readonly kube?: readonly number[];
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

/**
 * A part's JSON with every object's keys in sorted order: the same content gives the same hash
 * however a client ordered its keys, so "is this the very snapshot stored?" compares hashes only.
 */
const part = (value: unknown): Part => {
  const json = canonicalJson(value);
  return { hash: createHash('sha256').update(json).digest('hex'), json };
};

/** What a snapshot row holds beside its parts. */
export interface SnapshotMeta {
  readonly id: string;
  readonly createdAt: string;
  readonly source: string;
  readonly format: number;
  /**
   * The schema the snapshot passed (storedSchemaId), when whoever cut it into parts checked it: the
   * store then marks its row as checked (storedMark.ts).
   */
  readonly checked?: string;
}

export const metaOf = (s: SnapshotMeta): SnapshotMeta => ({
  id: s.id,
  createdAt: s.createdAt,
  source: s.source,
  format: s.format,
});

/**
 * A stored snapshot as the database holds it, still gzipped: what the analysis worker is handed,
 * so reading a snapshot costs the API's thread no inflating or parsing (see `readStoredRow`).
 */
export type StoredRow =
  | { readonly layout: 'whole'; readonly body: Uint8Array }
  | {
      readonly layout: 'manifest';
      readonly manifest: Uint8Array;
      readonly blobs: ReadonlyMap<number, Uint8Array>;
      /** The row's mark that its snapshot was checked when stored (storedMark.ts), if it has one. */
      readonly checked?: string;
    };

/**
 * A stored row as parsed JSON (unchecked: the caller validates, see storedSnapshotOf), how many bytes
 * of JSON it was, and the schema it passed when stored if its mark vouches for these very bytes.
 * Parts are inflated a batch at a time right where they are parsed, so their text dies young:
 * holding every part's text until all were inflated (267 MiB for 150,000 pods) had the collector
 * copy it all to the old generation, ~10% of reading's CPU.
 */
export function readStoredRow(row: StoredRow): { value: unknown; jsonBytes: number; checkedWith?: string } {
  let jsonBytes = 0;
  const json = (gz: Uint8Array): string => {
    const text = gunzipSync(gz).toString('utf8');
    jsonBytes += text.length;
    return text;
  };
  if (row.layout === 'whole') return { value: JSON.parse(json(row.body)), jsonBytes };
  const manifest = JSON.parse(json(row.manifest)) as Manifest;
  const order = [...manifest.hosts, ...manifest.pods, ...(manifest.kube ?? [])];
  const schemaId = checkedWith(row.checked, () => storedDigest(row.manifest, order, row.blobs));
  const text = partTexts(order, row.blobs);
  const value = joinSnapshot(manifest, (id) => {
    const t = text(id);
    if (t !== undefined) jsonBytes += t.length;
    return t;
  });
  return schemaId === undefined ? { value, jsonBytes } : { value, jsonBytes, checkedWith: schemaId };
}

/** One host cut as a snapshot's parts hold it: its part, and its links' counters as `[netns, link, ...counters]`. */
export interface HostCut {
  readonly part: Part;
  readonly stats: readonly (readonly number[])[];
}

/** A host's part: the host without its collection time and link counters (its "shape"), and those counters. */
export function cutHost(host: HostInventory): HostCut {
  const stats: number[][] = [];
  const { namespaces, ...rest } = host;
  delete (rest as Partial<HostInventory>).collectedAt;
  const shape = {
    ...rest,
    namespaces: namespaces.map((ns, n) => ({
      ...ns,
      links: ns.links.map((link, l) => {
        const { stats: counters, ...bare } = link;
        if (counters) stats.push([n, l, ...COUNTERS.flatMap((c) => (counters[c] === undefined ? [] : [counters[c]]))]);
        return bare;
      }),
    })),
  };
  return { part: part(shape), stats };
}

/**
 * Cuts a snapshot into its parts (nothing is compressed here: a part already stored is never
 * gzipped again). `cut` gives a host's cut: one made already (a collection cuts each host as it
 * arrives) or cutHost's.
 */
export function splitSnapshot(snapshot: Snapshot, cut: (host: HostInventory) => HostCut = cutHost): SnapshotParts {
  const created = Date.parse(snapshot.createdAt);
  const stats: number[][] = [];
  const hosts = snapshot.hosts.map((host, h) => {
    const c = cut(host);
    for (const row of c.stats) stats.push([h, ...row]);
    return c.part;
  });
  const times = snapshot.hosts.map((h) => {
    const t = Date.parse(h.collectedAt);
    return Number.isFinite(t) && Number.isFinite(created) && new Date(t).toISOString() === h.collectedAt
      ? t - created
      : h.collectedAt;
  });
  const kube = snapshot.kubernetes ? [part(snapshot.kubernetes)] : [];
  return { hosts, pods: podRuns(snapshot.pods).map(part), kube, times, stats };
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
export function joinSnapshot(manifest: Manifest, blobJson: (id: number) => string | undefined): unknown {
  const blob = (id: number): unknown => {
    const json = blobJson(id);
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
    const host = hosts[h ?? -1];
    if (!host) throw new MissingPartError(`snapshot ${manifest.id}: counters for a host it does not have`);
    // A part changed since it was stored and no longer shaped like a host's: left as it is, for the
    // schema check (which a changed part always gets) to refuse with the path that is wrong.
    const namespaces: unknown = host.namespaces;
    if (!Array.isArray(namespaces)) continue;
    const links: unknown = (namespaces[n ?? -1] as { links?: unknown } | undefined)?.links;
    if (namespaces[n ?? -1] !== undefined && !Array.isArray(links)) continue;
    const link = (Array.isArray(links) ? links[l ?? -1] : undefined) as Link | undefined;
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
    ...(manifest.kube?.[0] === undefined ? {} : { kubernetes: blob(manifest.kube[0]) }),
  };
}

/** A stored snapshot names a part that is not there: the store is damaged, never silently "not found". */
export class MissingPartError extends Error {
  override readonly name = 'MissingPartError';
}
