import type { SnapshotSummary } from '@hoplens/model';

const describe = (s: SnapshotSummary): string => {
  const bad = s.findings.fatal + s.findings.critical;
  return `${s.source} · ${new Date(s.createdAt).toLocaleString()}${bad > 0 ? ` · ${bad} severe` : ''}`;
};

/** Picks the snapshot to show; one the list does not have (yet, or at all) is named, never replaced by another. */
export function SnapshotPicker(props: {
  readonly snapshots: readonly SnapshotSummary[];
  readonly value: string;
  readonly onChange: (id: string) => void;
}) {
  return (
    <label className="picker">
      Snapshot{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid="snapshot-picker">
        {!props.snapshots.some((s) => s.id === props.value) && (
          <option value={props.value} disabled>
            {props.value.slice(0, 12)}… (not in the list)
          </option>
        )}
        {props.snapshots.map((s) => (
          <option key={s.id} value={s.id}>
            {describe(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
