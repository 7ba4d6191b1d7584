import type { Change, Finding, SnapshotDiff } from '@hoplens/model';
import { plural } from '../format/plural.ts';

interface Props {
  readonly diff: SnapshotDiff | undefined;
  readonly error: Error | null;
  readonly onShow: (elementId: string) => void;
  readonly onSwap: () => void;
  readonly onClose: () => void;
}

const WHAT_ORDER: Change['what'][] = ['host', 'netns', 'interface', 'tc', 'route', 'neighbor'];

function describe(c: Change): string {
  if (c.change === 'changed') return `${c.field ?? ''}: ${c.before ?? ''} → ${c.after ?? ''}`;
  return c.change === 'added' ? (c.after ?? '') : (c.before ?? '');
}

/** Findings the comparison resolved, or raised; nothing when there are none. */
function FindingGroup(props: {
  readonly title: string;
  readonly kind: 'resolved' | 'new';
  readonly findings: readonly Finding[];
}) {
  if (props.findings.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul className="findings">
        {props.findings.map((f, i) => (
          <li key={i} data-testid={`finding-${props.kind}`} data-rule={f.rule} className={`finding sev-${f.severity}`}>
            <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{f.rule}</strong>
            <p>{f.message}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The comparison as a list: findings resolved and new, then every change, each linked to the graph. */
export function ComparePanel({ diff, error, onShow, onSwap, onClose }: Props) {
  const changes = diff ? [...diff.changes].sort((a, b) => WHAT_ORDER.indexOf(a.what) - WHAT_ORDER.indexOf(b.what)) : [];
  return (
    <section className="panel compare" data-testid="compare-panel" aria-labelledby="compare-title">
      <header className="panel-head">
        <h2 id="compare-title">Changes since the older snapshot</h2>
        <button type="button" onClick={onSwap} aria-label="swap compared snapshots">
          ⇄
        </button>
        <button type="button" onClick={onClose} aria-label="close comparison">
          ×
        </button>
      </header>
      {error && <p className="error">{error.message}</p>}
      {!diff && !error && <p>Comparing…</p>}
      {diff && (
        <>
          <p className="muted">
            {plural(diff.findings.resolved.length, 'finding')} resolved, {diff.findings.added.length} new,{' '}
            {diff.findings.unchanged} unchanged; {plural(diff.changes.length, 'change')}
          </p>
          <FindingGroup title="Resolved" kind="resolved" findings={diff.findings.resolved} />
          <FindingGroup title="New" kind="new" findings={diff.findings.added} />
          <h3>Changes</h3>
          {changes.length === 0 && <p className="ok">The two snapshots are the same.</p>}
          <ul className="changes">
            {changes.map((c, i) => (
              <li
                key={i}
                data-testid="change"
                data-change={c.change}
                data-what={c.what}
                className={`change-${c.change}`}
              >
                <button type="button" disabled={!c.element} onClick={() => c.element && onShow(c.element)}>
                  <span className={`badge diff-${c.change}`}>{c.change}</span> {c.what} <code>{c.where}</code>
                </button>
                <div className="change-detail">{describe(c)}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
