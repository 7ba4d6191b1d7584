import { plural } from '../format/plural.ts';
import type { DisclosedGraph } from '@hoplens/model';

/** In an overview: what is drawn of how much, and the expanded groups, each closable. */
export function OverviewBar({
  view,
  onCollapse,
}: {
  readonly view: DisclosedGraph;
  readonly onCollapse: (id: string) => void;
}) {
  const open = view.groups.filter((g) => g.expanded);
  const drawn = view.graph.nodes.length + view.graph.edges.length;
  return (
    <div className="overview-bar" data-testid="overview-bar">
      <span>
        Overview: {plural(view.groups.length, 'host group')}; {drawn.toLocaleString()} of{' '}
        {(view.total.nodes + view.total.edges).toLocaleString()} elements drawn. Click a box to expand it.
      </span>
      {open.map((g) => (
        <span key={g.id} className="chip" data-testid="expanded-group">
          {g.label}
          <button type="button" aria-label={`collapse ${g.label}`} onClick={() => onCollapse(g.id)}>
            ×
          </button>
        </span>
      ))}
    </div>
  );
}
