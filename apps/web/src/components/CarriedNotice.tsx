import { goneSentence, type Gone } from '../routing/carryView.ts';

/** What of the view before "Collect now" the new snapshot does not hold, said plainly; dismissible. */
export function CarriedNotice({ gone, onDismiss }: { readonly gone: readonly Gone[]; readonly onDismiss: () => void }) {
  return (
    <div className="carried-notice" role="status" data-testid="carried-notice">
      <ul>
        {gone.map((g) => (
          <li key={g.kind}>{goneSentence(g)}</li>
        ))}
      </ul>
      <button type="button" aria-label="dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
