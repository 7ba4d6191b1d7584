import { formatDuration } from '@hoplens/model';
import type { HistoryEntry } from '../store/snapshotStore.ts';

/**
 * What to keep (`hoplens start --keep 7d --keep-last 100`): snapshots younger than `keepMs`, and the
 * newest `keepLast`; either alone keeps only what it says; neither keeps everything.
 */
export interface RetentionPolicy {
  readonly keepMs?: number;
  readonly keepLast?: number;
}

/** A snapshot retention deletes, and why, for the log. */
export interface Expired {
  readonly id: string;
  readonly createdAt: string;
  readonly source: string;
  readonly reason: string;
}

/** The policy as people read it, for GET /api/info. */
export function describeRetention(p: RetentionPolicy): string {
  const rules = [
    ...(p.keepMs === undefined ? [] : [`younger than ${formatDuration(p.keepMs)}`]),
    ...(p.keepLast === undefined ? [] : [`the last ${p.keepLast}`]),
  ];
  if (rules.length === 0) return 'everything is kept';
  return `keeps ${rules.join(' or ')}, and every pinned snapshot and first appearance of a finding`;
}

/**
 * The snapshots a policy lets go. Always kept, whatever their age: pinned ones (a link to them was
 * shared), and in each source's series the snapshot where a finding first appeared together with the
 * one just before it, so "what changed" still compares those two. A snapshot whose findings are not
 * known yet is kept: it may hold a first appearance.
 */
export function expiredSnapshots(entries: readonly HistoryEntry[], policy: RetentionPolicy, now: number): Expired[] {
  if (policy.keepMs === undefined && policy.keepLast === undefined) return [];
  const keep = new Set<string>();
  const newestFirst = [...entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  for (const e of newestFirst.slice(0, policy.keepLast ?? 0)) keep.add(e.id);
  const bySource = new Map<string, HistoryEntry[]>();
  for (const e of entries) {
    if (e.pinned || e.findings === null) keep.add(e.id);
    if (policy.keepMs !== undefined && Date.parse(e.createdAt) >= now - policy.keepMs) keep.add(e.id);
    bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  }
  for (const series of bySource.values()) {
    series.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const seen = new Set<number>();
    series.forEach((e, i) => {
      const first = (e.findings ?? []).filter((f) => !seen.has(f));
      if (first.length === 0) return;
      for (const f of first) seen.add(f);
      keep.add(e.id);
      const before = series[i - 1];
      if (before) keep.add(before.id);
    });
  }
  const why = [
    ...(policy.keepMs === undefined ? [] : [`older than ${formatDuration(policy.keepMs)}`]),
    ...(policy.keepLast === undefined ? [] : [`not among the last ${policy.keepLast}`]),
  ].join(' and ');
  return entries
    .filter((e) => !keep.has(e.id))
    .map((e) => ({ id: e.id, createdAt: e.createdAt, source: e.source, reason: why }));
}
