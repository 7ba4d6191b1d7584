import { gzipSlices } from './gzipSlices.ts';
import type { PackedPart, Part, SnapshotParts } from './snapshotParts.ts';

/**
 * A snapshot's parts as they cross threads (analysis worker → API thread → SQLite worker): every
 * part gzipped into ONE buffer, every hash in ONE string, every link's counters in ONE array — a
 * handful of values whatever the snapshot's size. Posted as objects, the 55,030 parts of a
 * 5,000-node snapshot (a hash string and a view each) and its counter rows were rebuilt on the
 * API's thread on every hop, holding it ~0.3 s while requests waited.
 */
export interface PackedParts {
  /** Every part's gzip, one after another: hosts', then pods', then the Kubernetes part's. */
  readonly gz: Uint8Array;
  /** Where each part ends in `gz`, in the same order. */
  readonly ends: Float64Array;
  /** Each part's hash (HASH_CHARS hex digits), in the same order. */
  readonly hashes: string;
  readonly counts: { readonly hosts: number; readonly pods: number; readonly kube: number };
  readonly times: readonly (number | string)[];
  /** SnapshotParts' stats rows, STATS_WIDTH numbers each, NaN after a shorter row's end. */
  readonly stats: Float64Array;
}

/** A part's hash: SHA-256 in hex. */
const HASH_CHARS = 64;
/** `[host, netns, link]` and at most the 9 counters of LinkStats. */
const STATS_WIDTH = 12;

/** Whether these parts are the packed wire form (else plain parts, whose JSON is gzipped where stored). */
export const isPacked = (parts: SnapshotParts<Part | PackedPart> | PackedParts): parts is PackedParts =>
  'ends' in parts;

/**
 * Gzips every part (all of them, since which are stored already is not known off the store's
 * thread) into one buffer, here (see packInBackground for a thread of its own).
 */
export function packParts(parts: SnapshotParts): PackedParts {
  const all = allParts(parts);
  return packedWith(
    parts,
    gzipSlices(all.length, (i) => all[i]!.json),
  );
}

/** Every part in the packed order: hosts', then pods', then the Kubernetes part's. */
export const allParts = <P extends Part>(parts: SnapshotParts<P>): P[] => [
  ...parts.hosts,
  ...parts.pods,
  ...parts.kube,
];

/** The packed form of `parts` around their gzips (`gz`, one member per part, in allParts' order). */
export function packedWith(
  parts: SnapshotParts,
  gzipped: { readonly gz: Uint8Array; readonly ends: Float64Array },
): PackedParts {
  const all = allParts(parts);
  if (gzipped.ends.length !== all.length) throw new Error(`${all.length} parts, ${gzipped.ends.length} gzipped`);
  all.forEach((p, i) => {
    if (p.hash.length !== HASH_CHARS) throw new Error(`part ${i}: a hash of ${p.hash.length} characters`);
  });
  const stats = new Float64Array(parts.stats.length * STATS_WIDTH).fill(NaN);
  parts.stats.forEach((row, r) => {
    if (row.length > STATS_WIDTH) throw new Error(`counter row ${r}: ${row.length} values, at most ${STATS_WIDTH}`);
    stats.set(row, r * STATS_WIDTH);
  });
  return {
    gz: gzipped.gz,
    ends: gzipped.ends,
    hashes: all.map((p) => p.hash).join(''),
    counts: { hosts: parts.hosts.length, pods: parts.pods.length, kube: parts.kube.length },
    times: parts.times,
    stats,
  };
}

/** The buffers to hand over (not copy) when posting packed parts: the sender cannot use them after. */
export const packedTransfer = (p: PackedParts): ArrayBuffer[] => [
  p.gz.buffer as ArrayBuffer,
  p.ends.buffer as ArrayBuffer,
  p.stats.buffer as ArrayBuffer,
];

/** The parts again, each a view of the one buffer (on the thread that stores them). */
export function unpackParts(p: PackedParts): SnapshotParts<PackedPart> {
  const { hosts, pods, kube } = p.counts;
  const n = hosts + pods + kube;
  if (p.ends.length !== n || p.hashes.length !== n * HASH_CHARS || p.stats.length % STATS_WIDTH !== 0)
    throw new Error(`packed parts do not add up: ${n} parts, ${p.ends.length} ends, ${p.hashes.length} hash digits`);
  const part = (i: number): PackedPart => ({
    hash: p.hashes.slice(i * HASH_CHARS, (i + 1) * HASH_CHARS),
    gz: p.gz.subarray(i === 0 ? 0 : p.ends[i - 1], p.ends[i]),
  });
  const range = (from: number, count: number): PackedPart[] => Array.from({ length: count }, (_, k) => part(from + k));
  const stats: number[][] = [];
  for (let r = 0; r < p.stats.length; r += STATS_WIDTH) {
    const row: number[] = [];
    for (let i = r; i < r + STATS_WIDTH && !Number.isNaN(p.stats[i]); i++) row.push(p.stats[i]!);
    stats.push(row);
  }
  return {
    hosts: range(0, hosts),
    pods: range(hosts, pods),
    kube: range(hosts + pods, kube),
    times: p.times,
    stats,
  };
}
