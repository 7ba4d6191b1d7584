import { useEffect, useRef, useState } from 'react';
import { plural } from '../format/plural.ts';

/** How many items a long list shows at first, and adds at each "show more". */
export const PAGE = 200;

/**
 * "41,800 more changes, in the same order: show 200 more" under a list cut at `shown` of `total`.
 * Drawing a cluster comparison's tens of thousands of rows at once froze the page for many seconds:
 * nothing is left out, only drawn on request, and there is no "show all". When the last page is
 * drawn the button goes, and focus moves to the line that says all are shown (never to <body>).
 */
export function ShowMore(props: {
  readonly total: number;
  readonly shown: number;
  /** What a row is, in the singular ("change"). */
  readonly noun: string;
  readonly onMore: () => void;
  readonly testId: string;
}) {
  const rest = props.total - props.shown;
  const [asked, setAsked] = useState(false);
  const allShown = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (rest <= 0 && asked) allShown.current?.focus();
  }, [rest, asked]);
  if (rest <= 0)
    return asked ? (
      <p className="show-more muted" data-testid={props.testId} tabIndex={-1} ref={allShown}>
        All {plural(props.total, props.noun)} shown.
      </p>
    ) : null;
  const next = Math.min(PAGE, rest);
  return (
    <p className="show-more" data-testid={props.testId}>
      <span className="muted">{plural(rest, `more ${props.noun}`)}, in the same order: </span>
      <button
        type="button"
        className="link"
        aria-label={`show ${plural(next, `more ${props.noun}`)}`}
        onClick={() => {
          setAsked(true);
          props.onMore();
        }}
      >
        show {next.toLocaleString('en-US')} more
      </button>
    </p>
  );
}
