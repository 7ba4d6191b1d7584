import type { Change } from '@hoplens/model';
import { useMemo, useState } from 'react';
import { changeCounts } from '../format/changeCounts.ts';
import { describeChange } from '../format/describeChange.ts';
import { PAGE, ShowMore } from './ShowMore.tsx';

/**
 * A comparison's changes, each linked to the graph: counted by kind when there are more than a page
 * of them, and drawn a page at a time.
 */
export function ChangeList(props: {
  readonly changes: readonly Change[];
  readonly onShow: (elementId: string) => void;
}) {
  const { changes, onShow } = props;
  const [shown, setShown] = useState(PAGE);
  const counts = useMemo(() => (changes.length > PAGE ? changeCounts(changes) : ''), [changes]);
  return (
    <>
      {counts && (
        <p className="muted" data-testid="change-counts">
          {counts}
        </p>
      )}
      <ul className="changes">
        {changes.slice(0, shown).map((c, i) => (
          <li key={i} data-testid="change" data-change={c.change} data-what={c.what} className={`change-${c.change}`}>
            <button type="button" disabled={!c.element} onClick={() => c.element && onShow(c.element)}>
              <span className={`badge diff-${c.change}`}>{c.change}</span> {c.what} <code>{c.where}</code>
            </button>
            <div className="change-detail">{describeChange(c)}</div>
          </li>
        ))}
      </ul>
      <ShowMore
        total={changes.length}
        shown={shown}
        noun="change"
        onMore={() => setShown((s) => s + PAGE)}
        testId="more-changes"
      />
    </>
  );
}
