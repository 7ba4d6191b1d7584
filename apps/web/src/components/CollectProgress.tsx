import type { CollectStatus, SourceStatus } from '@hoplens/model';
import { plural } from '../format/plural.ts';
import { useCollectStatus } from '../hooks/useCollectStatus.ts';

const count = (n: number): string => n.toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * While a collection runs: how many sources are done, failed and pending of all of them, the
 * slowest few and the first failures — counts, not a row per source (a cluster has thousands).
 */
export function CollectProgress({ running }: { readonly running: boolean }) {
  const status = useCollectStatus(running);
  if (!running) return null;
  const s = status.data;
  return (
    <div className="collect-progress" role="status" data-testid="collect-progress">
      {!s || s.counts.total === 0 ? 'starting…' : <Summary status={s} />}
    </div>
  );
}

function Summary({ status }: { readonly status: CollectStatus }) {
  const { counts } = status;
  const pending = counts.queued + counts.collecting;
  return (
    <>
      <progress max={counts.total} value={counts.done + counts.failed} aria-label="collection progress" />
      <span data-testid="collect-counts">
        <span className="source-done">{count(counts.done)} done</span> ·{' '}
        <span className="source-failed">{count(counts.failed)} failed</span> · {count(pending)} pending
        {counts.collecting > 0 ? ` (${count(counts.collecting)} being asked)` : ''} of {count(counts.total)} sources
        {' · '}
        {plural(status.hosts, 'host')}
        {status.running ? '' : ' · storing and analysing the snapshot…'}
      </span>
      {status.slowest.length > 0 && (
        <span data-testid="collect-slowest">
          slowest: <SourceList sources={status.slowest} />
        </span>
      )}
      {status.failures.length > 0 && (
        <span data-testid="collect-failures">
          failed: <SourceList sources={status.failures} />
          {counts.failed > status.failures.length ? ` +${count(counts.failed - status.failures.length)} more` : ''}
        </span>
      )}
    </>
  );
}

function SourceList({ sources }: { readonly sources: readonly SourceStatus[] }) {
  return (
    <ul className="collect-sources">
      {sources.map((s) => (
        <li key={s.source} className={`source source-${s.state}`} data-state={s.state} title={s.message}>
          {s.source}: {s.state}
          {s.ms === undefined ? '' : ` ${s.ms < 1000 ? `${s.ms} ms` : seconds(s.ms)}`}
          {s.state === 'done' ? ` (${plural(s.hosts, 'host')})` : ''}
        </li>
      ))}
    </ul>
  );
}
