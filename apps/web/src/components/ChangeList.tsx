import type { Change } from '@hoplens/model';
import { useMemo, useState } from 'react';
import { countsByKind } from '../format/changeCounts.ts';
import { describeChange } from '../format/describeChange.ts';
import { PAGE, ShowMore } from './ShowMore.tsx';

/**
 * A comparison's changes, each linked to the graph, drawn a page at a time. Past a page, counted by
 * kind, each count a button that shows that kind alone: a cluster's routes come after tens of
 * thousands of interface changes, which no one pages through.
 */
export function ChangeList(props: {
  readonly changes: readonly Change[];
  readonly onShow: (elementId: string) => void;
}) {
  const { changes, onShow } = props;
  const [shown, setShown] = useState(PAGE);
  const [only, setOnly] = useState<Change['what']>();
  const kinds = useMemo(() => (changes.length > PAGE ? countsByKind(changes) : []), [changes]);
  const listed = useMemo(() => (only ? changes.filter((c) => c.what === only) : changes), [changes, only]);
  const pick = (what: Change['what'] | undefined) => {
    setOnly(what);
    setShown(PAGE);
  };
  return (
    <>
      {kinds.length > 0 && (
        <p className="muted change-kinds" data-testid="change-counts">
          {kinds.map((k, i) => (
            <span key={k.what}>
              {i > 0 && ' · '}
              <button
                type="button"
                className="link"
                aria-pressed={only === k.what}
                title={`show only the ${k.count.toLocaleString('en-US')} ${k.what} changes`}
                onClick={() => pick(only === k.what ? undefined : k.what)}
              >
                {k.text}
              </button>
            </span>
          ))}
          {only && (
            <>
              {' · '}
              <button type="button" className="link" onClick={() => pick(undefined)}>
                every kind
              </button>
            </>
          )}
        </p>
      )}
      <ul className="changes">
        {listed.slice(0, shown).map((c, i) => (
          <li key={i} data-testid="change" data-change={c.change} data-what={c.what} className={`change-${c.change}`}>
            <button type="button" disabled={!c.element} onClick={() => c.element && onShow(c.element)}>
              <span className={`badge diff-${c.change}`}>{c.change}</span> {c.what} <code>{c.where}</code>
            </button>
            <div className="change-detail">{describeChange(c)}</div>
          </li>
        ))}
      </ul>
      <ShowMore
        key={only ?? 'every kind'}
        total={listed.length}
        shown={shown}
        noun={only ? `${only} change` : 'change'}
        onMore={() => setShown((s) => s + PAGE)}
        testId="more-changes"
      />
    </>
  );
}
