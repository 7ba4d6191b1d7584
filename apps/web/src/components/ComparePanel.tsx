import {
  ChangesByElement,
  changesNamedBy,
  groupChanges,
  isSnapshotId,
  type Change,
  type Finding,
  type SnapshotDiff,
} from '@hoplens/model';
import { useMemo, useState } from 'react';
import { WHAT_ORDER } from '../format/changeCounts.ts';
import { compareWords } from '../format/compareWords.ts';
import { describeChange } from '../format/describeChange.ts';
import { plural } from '../format/plural.ts';
import { ChangeList } from './ChangeList.tsx';
import { PAGE, ShowMore } from './ShowMore.tsx';

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

/** A finding's changes: those of a value it states, and those only beside it (see changesNamedBy). */
type NamedChanges = ReturnType<typeof changesNamedBy>;

/** How many changes that only happened beside a finding's cause it lists. */
const ALONGSIDE = 10;

/**
 * What changed behind one finding: a change of a value it states as its cause ("resolved by",
 * "after"); one that only happened on an element it names, as no more than that.
 */
function FindingChanges(props: {
  readonly behind: NamedChanges;
  readonly kind: 'resolved' | 'new';
  readonly onShow: (elementId: string) => void;
}) {
  const { named, alongside } = props.behind;
  const line = (c: Change, j: number, lead: string) => (
    <p key={j} className="behind" data-testid="finding-change">
      {lead}{' '}
      <button type="button" className="link" onClick={() => c.element && props.onShow(c.element)}>
        {c.where}
      </button>{' '}
      {describeChange(c)}
    </p>
  );
  return (
    <>
      {named.map((c, j) => line(c, j, props.kind === 'resolved' ? 'resolved by' : 'after'))}
      {alongside.slice(0, ALONGSIDE).map((c, j) => line(c, named.length + j, 'also changed on'))}
      {alongside.length > ALONGSIDE && (
        <p className="behind muted">and {plural(alongside.length - ALONGSIDE, 'more change')} on what it concerns</p>
      )}
    </>
  );
}

/** Findings the comparison resolved, or raised, a page at a time; nothing when there are none. */
function FindingGroup(props: {
  readonly title: string;
  readonly kind: 'resolved' | 'new';
  readonly findings: readonly Finding[];
  readonly changes: ChangesByElement;
  readonly onShow: (elementId: string) => void;
}) {
  const [shown, setShown] = useState(PAGE);
  // Once per page drawn, not at every render of the dashboard (each pan of the graph is one).
  const behind = useMemo(
    () => props.findings.slice(0, shown).map((f) => changesNamedBy(f, props.changes)),
    [props.findings, props.changes, shown],
  );
  if (props.findings.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul className="findings">
        {props.findings.slice(0, shown).map((f, i) => (
          <li key={i} data-testid={`finding-${props.kind}`} data-rule={f.rule} className={`finding sev-${f.severity}`}>
            <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{f.rule}</strong>
            <p>{f.message}</p>
            <FindingChanges behind={behind[i]!} kind={props.kind} onShow={props.onShow} />
          </li>
        ))}
      </ul>
      <ShowMore
        total={props.findings.length}
        shown={shown}
        noun="finding"
        onMore={() => setShown((s) => s + PAGE)}
        testId={`more-findings-${props.kind}`}
      />
    </>
  );
}

/** The comparison as a list: findings resolved and new, then every change, each linked to the graph. */
export function ComparePanel({ against, diff, error, since, onShow, onSwap, onClose }: Props) {
  const words = compareWords(since);
  // Read once per comparison, not at every render: a cluster's comparison has tens of thousands of changes.
  const { changes, remacs, byElement } = useMemo(() => {
    const grouped = diff ? groupChanges(diff) : { changes: [], remacs: [] };
    return {
      changes: [...grouped.changes].sort((a, b) => WHAT_ORDER.indexOf(a.what) - WHAT_ORDER.indexOf(b.what)),
      remacs: grouped.remacs,
      byElement: new ChangesByElement(diff?.changes ?? []),
    };
  }, [diff]);
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
            key={`resolved ${against}`}
            title={words.resolvedTitle}
            kind="resolved"
            findings={diff.findings.resolved}
            changes={byElement}
            onShow={onShow}
          />
          <FindingGroup
            key={`new ${against}`}
            title={words.addedTitle}
            kind="new"
            findings={diff.findings.added}
            changes={byElement}
            onShow={onShow}
          />
          <h3>Changes</h3>
          {changes.length === 0 && remacs.length === 0 && <p className="ok">The two snapshots are the same.</p>}
          <ChangeList key={`changes ${against}`} changes={changes} onShow={onShow} />
          {remacs.length > 0 && <Remacs key={`remacs ${against}`} remacs={remacs} />}
        </>
      )}
    </section>
  );
}

/**
 * The new random MACs of re-created devices, apart (a rebuild changes every one): drawn only when
 * opened, a page at a time.
 */
function Remacs({ remacs }: { readonly remacs: readonly Change[] }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(PAGE);
  return (
    <details data-testid="remacs" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {plural(remacs.length, 'MAC change')} of re-created devices (a rebuild picks new random MACs; nothing else of
        them changed)
      </summary>
      {open && (
        <>
          <ul className="changes">
            {remacs.slice(0, shown).map((c, i) => (
              <li key={i} data-testid="remac">
                {c.what} <code>{c.where}</code> {describeChange(c)}
              </li>
            ))}
          </ul>
          <ShowMore
            total={remacs.length}
            shown={shown}
            noun="MAC change"
            onMore={() => setShown((s) => s + PAGE)}
            testId="more-remacs"
          />
        </>
      )}
    </details>
  );
}
