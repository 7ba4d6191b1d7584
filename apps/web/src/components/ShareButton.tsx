import { useShare } from '../hooks/useShare.ts';

/** Copies the permalink and pins its snapshot, so retention never breaks a link someone was given. */
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
  const r = share.data;
  const label = !r
    ? pinned
      ? 'share (kept)'
      : 'share'
    : !r.copied
      ? 'copy failed: select the text'
      : r.pinned
        ? 'link copied, snapshot kept'
        : 'link copied (not kept)';
  return (
    <button
      type="button"
      className="copy"
      data-testid="share"
      title={
        r?.why ?? 'Copy the link, and keep this snapshot whatever the retention policy says, so the link keeps working'
      }
      disabled={share.isPending}
      onClick={() => share.mutate(link)}
    >
      {label}
    </button>
  );
}
