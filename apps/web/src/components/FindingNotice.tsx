import type { FindingsEvent } from '@hoplens/model';

/** "New findings appeared": announced live, with the comparison that shows what changed. */
export function FindingNotice(props: {
  readonly event: FindingsEvent;
  readonly onCompare: (after: string, before: string) => void;
  readonly onDismiss: () => void;
}) {
  const { event: e } = props;
  const first = e.added[0];
  if (!first) return null;
  return (
    <div className="live-notice finding-notice" role="alert" data-testid="finding-notice">
      <span className={`badge badge-${first.severity}`}>{first.severity}</span> New finding in{' '}
      <strong>{e.snapshot.source}</strong>: {first.rule}
      {e.added.length > 1 ? ` and ${e.added.length - 1} more` : ''}
      {e.before !== null && (
        <button type="button" onClick={() => props.onCompare(e.snapshot.id, e.before ?? '')}>
          What changed
        </button>
      )}
      <button type="button" aria-label="dismiss" onClick={props.onDismiss}>
        ×
      </button>
    </div>
  );
}
