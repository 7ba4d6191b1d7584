import type { FindingRef, Timeline, TimelineSpan } from '@hoplens/model';
import type { HistoryEntry } from '../store/snapshotStore.ts';

/** A series as the timeline reads it: snapshots of one source, oldest first, each with its findings. */
export interface SeriesEntry extends HistoryEntry {
  readonly findings: readonly number[];
}

/**
 * When each finding appeared and was resolved across a series of snapshots, from the finding ids
 * stored with each snapshot (no rule runs again). A finding that comes and goes has a span each time;
 * each span names the last snapshot without it, so "what changed" can compare exactly those two.
 * Findings are listed most recently appeared first.
 */
export function buildTimeline(
  source: string,
  series: readonly SeriesEntry[],
  keys: ReadonlyMap<number, FindingRef>,
): Timeline {
  const spans = new Map<number, TimelineSpan[]>();
  const open = new Map<number, TimelineSpan>();
  let previous: SeriesEntry | undefined;
  for (const entry of series) {
    const present = new Set(entry.findings);
    for (const [id, span] of open) {
      if (present.has(id)) continue;
      close(spans, id, { ...span, resolved: entry.id, resolvedAt: entry.createdAt });
      open.delete(id);
    }
    for (const id of present) {
      if (open.has(id)) continue;
      open.set(id, {
        appeared: entry.id,
        appearedAt: entry.createdAt,
        ...(previous ? { before: previous.id } : {}),
      });
    }
    previous = entry;
  }
  for (const [id, span] of open) close(spans, id, span);
  const findings = [...spans].flatMap(([id, s]) => {
    const ref = keys.get(id);
    return ref ? [{ ...ref, spans: s }] : [];
  });
  const lastAppeared = (f: { spans: readonly TimelineSpan[] }) => f.spans[f.spans.length - 1]?.appearedAt ?? '';
  findings.sort((a, b) => lastAppeared(b).localeCompare(lastAppeared(a)) || a.key.localeCompare(b.key));
  return { source, snapshots: series.map((e) => ({ id: e.id, createdAt: e.createdAt })), findings };
}

function close(spans: Map<number, TimelineSpan[]>, id: number, span: TimelineSpan): void {
  const list = spans.get(id) ?? [];
  list.push(span);
  spans.set(id, list);
}

/** Findings `entry` has that the snapshot before it in its series had not (none for the first). */
export function newFindings(series: readonly SeriesEntry[], id: string): { before: string | null; added: number[] } {
  const i = series.findIndex((e) => e.id === id);
  const entry = series[i];
  const before = i > 0 ? series[i - 1] : undefined;
  if (!entry || !before) return { before: null, added: [] };
  const had = new Set(before.findings);
  return { before: before.id, added: entry.findings.filter((f) => !had.has(f)) };
}
