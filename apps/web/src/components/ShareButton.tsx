import { useShare } from '../hooks/useShare.ts';
import { shareState } from '../format/shareState.ts';

/**
 * Copies the permalink and pins its snapshot, so retention never breaks a link someone was given.
 * The button's label is short and its width fixed (the toolbar never re-wraps when it changes); the
 * whole answer is its tooltip and is said to screen readers.
 */
export function ShareButton({
  snapshot,
  link,
  pinned,
}: {
  readonly snapshot: string;
  readonly link: string;
  readonly pinned: boolean;
}) {
  const share = useShare(snapshot);
  const s = shareState(share.data, pinned);
  return (
    <>
      <button
        type="button"
        className="copy share"
        data-testid="share"
        data-state={s.state}
        title={s.said}
        disabled={share.isPending}
        onClick={() => share.mutate(link)}
      >
        {s.label}
      </button>
      <span className="visually-hidden" role="status" data-testid="share-status">
        {share.data ? s.said : ''}
      </span>
    </>
  );
}
