import type { HostInventory } from '../schema/inventory.ts';
import { SNAPSHOT_LIMITS } from '../snapshot/snapshotLimits.ts';
import type { SnapshotIndex } from './snapshotIndex.ts';

/**
 * What of a host the snapshot lacks because its collection failed: nothing at all, its own (root)
 * namespace, or namespaces an error names. Whatever the rules and the tracer would look for there
 * (the owner of an address, a VXLAN device whose socket lives in a namespace that was read) may be
 * in what is missing: "not found" about such a host is unknown, never an absence.
 */
export interface UnseenPart {
  readonly host: string;
  /** The host's failures (its notices left out, unless nothing was read). */
  readonly failures: HostInventory['errors'];
  /** Nothing of the host was read. */
  readonly nothing: boolean;
  /** Something was read, but not the host's own namespace. */
  readonly noRoot: boolean;
  /** Namespaces a failure names that are not in the snapshot. */
  readonly missing: readonly string[];
  /** Its errors reached the bound a host may have: those left out may name more. */
  readonly cut: boolean;
}

/**
 * A host's failures and what they left out; undefined where it has none. A host of no namespace
 * was not read at all, error or not; one whose errors reached the bound had more left out, which
 * may have named more missing namespaces.
 */
export function failedParts(host: HostInventory): UnseenPart | undefined {
  const nothing = host.namespaces.length === 0;
  const failures = nothing ? host.errors : host.errors.filter((e) => e.notice !== true);
  const cut = host.errors.length >= SNAPSHOT_LIMITS.errorsPerHost;
  if (failures.length === 0 && !nothing) return undefined;
  const have = new Set(host.namespaces.map((ns) => ns.name));
  const missing = [
    ...new Set(
      failures.flatMap((e) => (e.netns === undefined || e.netns === null || have.has(e.netns) ? [] : [e.netns])),
    ),
  ];
  return {
    host: host.name,
    failures,
    nothing,
    noRoot: !nothing && !host.namespaces.some((ns) => ns.root),
    missing,
    cut,
  };
}

/** Does the failure leave part of the host's network out (not only part of a namespace read)? */
export const leavesOut = (p: UnseenPart): boolean => p.nothing || p.noRoot || p.missing.length > 0 || p.cut;

/** The hosts whose failed collection left part of their network out, by name. */
export function unseenHosts(index: SnapshotIndex): ReadonlyMap<string, UnseenPart> {
  return index.derive(findUnseen);
}

function findUnseen(index: SnapshotIndex): ReadonlyMap<string, UnseenPart> {
  const out = new Map<string, UnseenPart>();
  for (const host of index.snapshot.hosts) {
    const p = failedParts(host);
    if (p && leavesOut(p)) out.set(host.name, p);
  }
  return out;
}

/**
 * The namespaces a host read in part lacks, in words: some named, and whether its own is one
 * ("namespace pod-9", "its own namespace", "namespaces a, b (its own namespace among what is missing)").
 */
export function absentWords(p: UnseenPart): string {
  const { missing, noRoot } = p;
  if (missing.length === 0) return noRoot ? 'its own namespace' : 'namespaces its errors left out may name';
  const named = `namespace${missing.length === 1 ? '' : 's'} ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`;
  return noRoot ? `${named} (its own namespace among what is missing)` : named;
}

/** "podvm (nothing collected)", "w1 (collected without namespace a)": what a host lacks, in words. */
export function unseenWords(p: UnseenPart): string {
  return p.nothing ? `${p.host} (nothing collected)` : `${p.host} (collected without ${absentWords(p)})`;
}

/** Several hosts' gaps in words, at most `max` named. */
export function unseenList(parts: readonly UnseenPart[], max = 3): string {
  const named = parts.slice(0, max).map(unseenWords).join(', ');
  return parts.length > max ? `${named} and ${parts.length - max} more` : named;
}
