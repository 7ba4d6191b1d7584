import { plural } from '../format/plural.ts';
import { useCollectStatus } from '../hooks/useCollectStatus.ts';

/** While a collection runs: each source and where it stands. */
export function CollectProgress({ running }: { readonly running: boolean }) {
  const status = useCollectStatus(running);
  if (!running) return null;
  const sources = status.data?.sources ?? [];
  const done = sources.filter((s) => s.state !== 'collecting').length;
  return (
    <div className="collect-progress" role="status" data-testid="collect-progress">
      <progress max={Math.max(sources.length, 1)} value={done} aria-label="collection progress" />{' '}
      {sources.length === 0
        ? 'starting…'
        : sources.map((s) => (
            <span key={s.source} className={`source source-${s.state}`} data-state={s.state}>
              {s.source}: {s.state}
              {s.state !== 'collecting' ? ` (${plural(s.hosts, 'host')})` : ''}
            </span>
          ))}
    </div>
  );
}
