import type { SnapshotSummary } from '@hoplens/model';
import { SeverityCounts } from './SeverityCounts.tsx';
import { plural } from '../format/plural.ts';

/** The home page: every snapshot with its source, time and what is wrong in it. */
export function SnapshotList({
  snapshots,
  onOpen,
}: {
  readonly snapshots: readonly SnapshotSummary[];
  readonly onOpen: (id: string) => void;
}) {
  if (snapshots.length === 0) return <p className="empty">No snapshots yet. Collect one, or import a dump.</p>;
  return (
    <ul className="snapshot-list" aria-label="snapshots">
      {snapshots.map((s) => (
        <li key={s.id}>
          <button type="button" className="snapshot-card" onClick={() => onOpen(s.id)} data-testid="snapshot-card">
            <strong>{s.source}</strong>
            <span className="muted">{new Date(s.createdAt).toLocaleString()}</span>
            <span className="muted">
              {plural(s.hosts, 'host')}, {plural(s.pods, 'pod')}
            </span>
            <SeverityCounts counts={s.findings} />
          </button>
        </li>
      ))}
    </ul>
  );
}
