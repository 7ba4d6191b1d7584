import { useState } from 'react';
import { podKey, type Pod } from '@hoplens/model';

const SHOWN = 40;

/** Pods as buttons: the keyboard's way to what a click on the graph does. Filtered past a screenful. */
export function PodList({
  pods,
  selected,
  onSelect,
}: {
  readonly pods: readonly Pod[];
  readonly selected: string | undefined;
  readonly onSelect: (podKey: string) => void;
}) {
  const [filter, setFilter] = useState('');
  if (pods.length === 0) return null;
  const f = filter.trim().toLowerCase();
  const matching = f
    ? pods.filter((p) => podKey(p).toLowerCase().includes(f) || p.ips.some((ip) => ip.includes(f)))
    : pods;
  return (
    <nav className="panel pods" aria-label="pods" tabIndex={-1}>
      <h2>Pods ({pods.length})</h2>
      {pods.length > 12 && (
        <input
          type="search"
          aria-label="filter pods"
          placeholder="filter pods by name or IP"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {matching.slice(0, SHOWN).map((p) => (
        <button
          key={podKey(p)}
          type="button"
          aria-pressed={selected === podKey(p)}
          onClick={() => onSelect(podKey(p))}
          data-testid="pod-button"
        >
          {p.name} <span className="muted">{p.ips.join(', ')}</span>
        </button>
      ))}
      {matching.length > SHOWN && <p className="muted">{matching.length - SHOWN} more: filter to find them</p>}
    </nav>
  );
}
