import type { Finding, GraphNode } from '@hoplens/model';

/** The selected element: what it is, its facts, and the findings that name it. All as text. */
export function ElementDetails(props: {
  readonly node: GraphNode | undefined;
  readonly id: string;
  readonly findings: readonly Finding[];
  readonly onExpand: (() => void) | undefined;
  readonly onClose: () => void;
}) {
  const { node, id } = props;
  const about = props.findings.filter((f) => f.subjects.includes(id));
  return (
    <section className="panel" data-testid="element-details" aria-labelledby="element-title">
      <header className="panel-head">
        <h2 id="element-title">{node ? `${node.kind} ${node.label}` : id}</h2>
        <button type="button" onClick={props.onClose} aria-label="close details">
          ×
        </button>
      </header>
      {!node && <p className="muted">Not drawn in this view.</p>}
      {node && (
        <dl className="facts">
          {Object.entries(node.details).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {props.onExpand && (
        <button type="button" onClick={props.onExpand} data-testid="expand-selected">
          Expand this group
        </button>
      )}
      {about.length > 0 && (
        <ul className="findings">
          {about.map((f, i) => (
            <li key={i} className={`finding sev-${f.severity}`}>
              <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{f.rule}</strong>
              <p>{f.message}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
