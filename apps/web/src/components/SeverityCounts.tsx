import type { SnapshotSummary } from '@hoplens/model';

const ORDER = ['fatal', 'critical', 'warning', 'info'] as const;

export function SeverityCounts({ counts }: { readonly counts: SnapshotSummary['findings'] }) {
  const shown = ORDER.filter((s) => counts[s] > 0);
  if (shown.length === 0) return <span className="badge badge-ok">no findings</span>;
  return (
    <span className="counts" data-testid="severity-counts">
      {shown.map((s) => (
        <span key={s} className={`badge badge-${s}`}>
          {counts[s]} {s}
        </span>
      ))}
    </span>
  );
}
