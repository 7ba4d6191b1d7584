import { plural } from '../format/plural.ts';

/** How many items a long list shows at first, and adds at each "show more". */
export const PAGE = 200;

/**
 * "41,800 more changes, in the same order: show 200 more" under a list cut at `shown` of `total`.
 * Drawing a cluster comparison's tens of thousands of rows at once froze the page for many seconds:
 * nothing is left out, only drawn on request, and there is no "show all".
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
  if (rest <= 0) return null;
  return (
    <p className="show-more" data-testid={props.testId}>
      <span className="muted">{plural(rest, `more ${props.noun}`)}, in the same order: </span>
      <button type="button" className="link" onClick={props.onMore}>
        show {Math.min(PAGE, rest).toLocaleString('en-US')} more
      </button>
    </p>
  );
}
