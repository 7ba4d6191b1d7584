import {
  changesNamedBy,
  groupChanges,
  isSnapshotId,
  type Change,
  type Finding,
  type SnapshotDiff,
} from '@hoplens/model';
import { compareWords } from '../format/compareWords.ts';
import { plural } from '../format/plural.ts';

interface Props {
  /** The snapshot compared against, as the link names it (`vs`). */
  readonly against: string;
  readonly diff: SnapshotDiff | undefined;
  readonly error: Error | null;
  /** Whether the snapshot compared against is older or newer than this one (after ⇄ it is newer). */
  readonly since: 'older' | 'newer';
  readonly onShow: (elementId: string) => void;
  readonly onSwap: () => void;
  readonly onClose: () => void;
}

const WHAT_ORDER: Change['what'][] = ['host', 'netns', 'interface', 'tc', 'route', 'neighbor'];

function describe(c: Change): string {
  if (c.change === 'changed') return `${c.field ?? ''}: ${c.before ?? ''} → ${c.after ?? ''}`;
  return c.change === 'added' ? (c.after ?? '') : (c.before ?? '');
}

/**
 * What changed behind one finding: a change of a value it states as its cause ("resolved by",
 * "after"); one that only happened on an element it names, as no more than that.
 */
function FindingChanges(props: {
  readonly finding: Finding;
  readonly kind: 'resolved' | 'new';
  readonly changes: readonly Change[];
  readonly onShow: (elementId: string) => void;
}) {
  const { named, alongside } = changesNamedBy(props.finding, props.changes);
  const line = (c: Change, j: number, lead: string) => (
    <p key={j} className="behind" data-testid="finding-change">
      {lead}{' '}
      <button type="button" className="link" onClick={() => c.element && props.onShow(c.element)}>
        {c.where}
      </button>{' '}
      {describe(c)}
    </p>
  );
  return (
    <>
      {named.map((c, j) => line(c, j, props.kind === 'resolved' ? 'resolved by' : 'after'))}
      {alongside.map((c, j) => line(c, named.length + j, 'also changed on'))}
    </>
  );
}

/** Findings the comparison resolved, or raised; nothing when there are none. */
function FindingGroup(props: {
  readonly title: string;
  readonly kind: 'resolved' | 'new';
  readonly findings: readonly Finding[];
  readonly changes: readonly Change[];
  readonly onShow: (elementId: string) => void;
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
            <FindingChanges finding={f} kind={props.kind} changes={props.changes} onShow={props.onShow} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** The comparison as a list: findings resolved and new, then every change, each linked to the graph. */
export function ComparePanel({ against, diff, error, since, onShow, onSwap, onClose }: Props) {
  const grouped = diff ? groupChanges(diff) : { changes: [], remacs: [] };
  const words = compareWords(since);
  const changes = [...grouped.changes].sort((a, b) => WHAT_ORDER.indexOf(a.what) - WHAT_ORDER.indexOf(b.what));
  return (
    <section className="panel compare" data-testid="compare-panel" aria-labelledby="compare-title">
      <header className="panel-head">
        <h2 id="compare-title">{!diff && error ? 'Cannot compare' : words.heading}</h2>
        <button type="button" onClick={onSwap} aria-label="swap compared snapshots">
          ⇄
        </button>
        <button type="button" onClick={onClose} aria-label="close comparison">
          ×
        </button>
      </header>
      {error && (
        <p className="error">
          {isSnapshotId(against)
            ? `with snapshot ${against}: ${error.message}`
            : `the link's “vs” (${JSON.stringify(against.slice(0, 80))}) is not a snapshot id`}
        </p>
      )}
      {!diff && !error && <p>Comparing…</p>}
      {diff && (
        <>
          <p className="muted">
            {words.summary({
              resolved: diff.findings.resolved.length,
              added: diff.findings.added.length,
              unchanged: diff.findings.unchanged,
              changes: diff.changes.length,
            })}
          </p>
          <FindingGroup
            title={words.resolvedTitle}
            kind="resolved"
            findings={diff.findings.resolved}
            changes={diff.changes}
            onShow={onShow}
          />
          <FindingGroup
            title={words.addedTitle}
            kind="new"
            findings={diff.findings.added}
            changes={diff.changes}
            onShow={onShow}
          />
          <h3>Changes</h3>
          {changes.length === 0 && grouped.remacs.length === 0 && <p className="ok">The two snapshots are the same.</p>}
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
          {grouped.remacs.length > 0 && (
            <details data-testid="remacs">
              <summary>
                {plural(grouped.remacs.length, 'MAC change')} of re-created devices (a rebuild picks new random MACs;
                nothing else of them changed)
              </summary>
              <ul className="changes">
                {grouped.remacs.map((c, i) => (
                  <li key={i} data-testid="remac">
                    {c.what} <code>{c.where}</code> {describe(c)}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
