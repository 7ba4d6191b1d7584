/** One measured figure, with the goal it is held against (if the issue sets one). */
export interface Figure {
  readonly id: string;
  readonly group: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly goal?: { readonly op: '<' | '<='; readonly value: number };
  readonly note?: string;
}

export const met = (f: Figure): boolean | undefined =>
  f.goal === undefined ? undefined : f.goal.op === '<' ? f.value < f.goal.value : f.value <= f.goal.value;

/** What a suite returns: its figures, and details kept in results.json for whoever digs deeper. */
export interface SuiteResult {
  readonly figures: Figure[];
  readonly details: Record<string, unknown>;
}

/** A suite that cannot run on this machine (not root, a tool missing): reported, not a failure. */
export class SkipSuite extends Error {
  override readonly name = 'SkipSuite';
}
