import type { NetnsRef } from '../schema/refs.ts';
import type { SnapshotIndex } from './snapshotIndex.ts';

/**
 * The namespace `HOST[/NETNS]` names, as trace requests give it (`from=`, `--from`): without
 * `/NETNS`, the host's root namespace; with an empty one (`HOST/`), the collector's own.
 */
export function netnsFrom(index: SnapshotIndex, from: string): NetnsRef {
  const slash = from.indexOf('/');
  if (slash < 0) return { host: from, netns: index.rootOf(from)?.ns.name ?? null };
  return { host: from.slice(0, slash), netns: from.slice(slash + 1) || null };
}
