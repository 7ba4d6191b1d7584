import { useState } from 'react';
import { podKey, type Pod } from '@hoplens/model';
import { usePods } from '../hooks/usePods.ts';
import { plural } from '../format/plural.ts';

const SHOWN = 40;

/**
 * Pods as buttons: the keyboard's way to what a click on the graph does. A page at a time, searched
 * on the server: opening a snapshot of 12,500 pods fetches 40.
 */
export function PodList({
  snapshot,
  selected,
  onSelect,
}: {
  readonly snapshot: string;
  readonly selected: string | undefined;
  readonly onSelect: (pod: Pod) => void;
}) {
  const [filter, setFilter] = useState('');
  const page = usePods(snapshot, filter, SHOWN);
  const data = page.data;
  if (data?.total === 0 && filter === '') return null;
  if (!data)
    return (
      <nav className="panel pods" aria-label="pods" tabIndex={-1}>
        <h2>Pods</h2>
        <p className="muted">Loading pods…</p>
      </nav>
    );
  return (
    <nav className="panel pods" aria-label="pods" tabIndex={-1}>
      <h2>Pods{filter === '' && ` (${data.total.toLocaleString()})`}</h2>
      {(data.total > 12 || filter !== '') && (
        <input
          type="search"
          aria-label="filter pods"
          placeholder="filter pods by name or IP"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {data.pods.map((p) => (
        <button
          key={podKey(p)}
          type="button"
          aria-pressed={selected === podKey(p)}
          onClick={() => onSelect(p)}
          data-testid="pod-button"
        >
          {/* Namespace first, as kubectl names a pod: two pods of one name in two namespaces are told apart. */}
          <span className="muted">{p.namespace}/</span>
          {p.name} <span className="muted">{p.ips.join(', ')}</span>
        </button>
      ))}
      {data.total > data.pods.length && (
        <p className="muted" data-testid="pods-more">
          {plural(data.total - data.pods.length, 'more pod')}: filter to find them
        </p>
      )}
      {data.total === 0 && <p className="muted">No pod matches.</p>}
    </nav>
  );
}
