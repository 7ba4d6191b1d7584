import type { SnapshotSummary } from '@hoplens/model';

const describe = (s: SnapshotSummary): string => {
  const bad = s.findings.fatal + s.findings.critical;
  return `${s.source} · ${new Date(s.createdAt).toLocaleString()}${bad > 0 ? ` · ${bad} severe` : ''}`;
};

export function SnapshotPicker(props: {
  readonly snapshots: readonly SnapshotSummary[];
  readonly value: string;
  readonly onChange: (id: string) => void;
}) {
  return (
    <label className="picker">
      Snapshot{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid="snapshot-picker">
        {props.snapshots.map((s) => (
          <option key={s.id} value={s.id}>
            {describe(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
