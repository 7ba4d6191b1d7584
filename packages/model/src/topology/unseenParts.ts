import type { HostInventory } from '../schema/inventory.ts';
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
}

/** A host's failures and what they left out; undefined where it has no failure. */
export function failedParts(host: HostInventory): UnseenPart | undefined {
  const nothing = host.namespaces.length === 0;
  const failures = nothing ? host.errors : host.errors.filter((e) => e.notice !== true);
  if (failures.length === 0) return undefined;
  const have = new Set(host.namespaces.map((ns) => ns.name));
  const missing = [
    ...new Set(
      failures.flatMap((e) => (e.netns === undefined || e.netns === null || have.has(e.netns) ? [] : [e.netns])),
    ),
  ];
  return { host: host.name, failures, nothing, noRoot: !nothing && !host.namespaces.some((ns) => ns.root), missing };
}

/** Does the failure leave part of the host's network out (not only part of a namespace read)? */
export const leavesOut = (p: UnseenPart): boolean => p.nothing || p.noRoot || p.missing.length > 0;

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

/** "podvm (nothing collected)", "w1 (without namespaces a, b)": what a host lacks, in words. */
export function unseenWords(p: UnseenPart): string {
  if (p.nothing) return `${p.host} (nothing collected)`;
  const named = p.missing.slice(0, 3).join(', ') + (p.missing.length > 3 ? ', …' : '');
  const parts = [
    ...(p.noRoot ? ['its own namespace'] : []),
    ...(p.missing.length > 0 ? [`namespace${p.missing.length === 1 ? '' : 's'} ${named}`] : []),
  ];
  return `${p.host} (collected without ${parts.join(' and ')})`;
}

/** Several hosts' gaps in words, at most `max` named. */
export function unseenList(parts: readonly UnseenPart[], max = 3): string {
  const named = parts.slice(0, max).map(unseenWords).join(', ');
  return parts.length > max ? `${named} and ${parts.length - max} more` : named;
}
