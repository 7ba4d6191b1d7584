import type { SnapshotSummary } from '@hoplens/model';

/** "Compare with": pick the snapshot to show this one against. */
export function CompareControl(props: {
  readonly snapshots: readonly SnapshotSummary[];
  readonly current: string;
  readonly vs: string | undefined;
  readonly onChange: (vs: string | undefined) => void;
}) {
  const others = props.snapshots.filter((s) => s.id !== props.current);
  if (others.length === 0) return null;
  return (
    <label className="picker compare-with">
      <span className="picker-word">compare with</span>{' '}
      <select
        data-testid="compare-with"
        value={props.vs ?? ''}
        onChange={(e) => props.onChange(e.target.value || undefined)}
      >
        <option value="">no comparison</option>
        {others.map((s) => (
          <option key={s.id} value={s.id}>
            {s.source} · {new Date(s.createdAt).toLocaleString()}
          </option>
        ))}
      </select>
    </label>
  );
}
