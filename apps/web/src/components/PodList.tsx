import type { Graph } from '@hoplens/model';

/** Pods as buttons: the keyboard's way to what a click on the graph does. */
export function PodList({
  graph,
  selected,
  onSelect,
}: {
  readonly graph: Graph;
  readonly selected: string | undefined;
  readonly onSelect: (podNodeId: string) => void;
}) {
  const pods = graph.nodes.filter((n) => n.kind === 'pod');
  if (pods.length === 0) return null;
  return (
    <nav className="panel pods" aria-label="pods">
      <h2>Pods</h2>
      {pods.map((p) => (
        <button
          key={p.id}
          type="button"
          aria-pressed={selected === p.id}
          onClick={() => onSelect(p.id)}
          data-testid="pod-button"
        >
          {p.label} <span className="muted">{p.details.ips}</span>
        </button>
      ))}
    </nav>
  );
}
