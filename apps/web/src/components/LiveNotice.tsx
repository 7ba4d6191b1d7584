import type { SnapshotSummary } from '@hoplens/model';
import { plural } from '../format/plural.ts';

/** "A new snapshot arrived": offered with a button, so the current view stays until the user moves. */
export function LiveNotice(props: {
  readonly snapshot: SnapshotSummary;
  readonly onOpen: (id: string) => void;
  readonly onDismiss: () => void;
}) {
  const { snapshot: s } = props;
  const severe = s.findings.fatal + s.findings.critical;
  return (
    <div className="live-notice" role="status" data-testid="live-notice">
      New snapshot: <strong>{s.source}</strong> ({plural(s.hosts, 'host')}
      {severe > 0 ? `, ${severe} severe` : ''})
      <button type="button" onClick={() => props.onOpen(s.id)}>
        Open
      </button>
      <button type="button" aria-label="dismiss" onClick={props.onDismiss}>
        ×
      </button>
    </div>
  );
}
