import type { SnapshotSummary } from '@hoplens/model';

/** The snapshot list (newest first) with `s` in its place; the same list when it holds `s` already. */
export function withSummary(list: SnapshotSummary[], s: SnapshotSummary): SnapshotSummary[] {
  if (list.some((x) => x.id === s.id)) return list;
  const at = list.findIndex((x) => x.createdAt < s.createdAt);
  return at < 0 ? [...list, s] : [...list.slice(0, at), s, ...list.slice(at)];
}
