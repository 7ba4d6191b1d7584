import type { Change } from '../schema/diff.ts';

/**
 * A comparison's changes by the element each is on: built once, then asked about every finding
 * that appeared or went away. Filtering the whole list per finding is findings × changes, which at
 * cluster scale (tens of thousands of changes) froze the dashboard's comparison.
 */
export class ChangesByElement {
  private readonly at = new Map<string, number[]>();

  constructor(readonly changes: readonly Change[]) {
    changes.forEach((c, i) => {
      if (c.element === undefined) return;
      const list = this.at.get(c.element);
      if (list) list.push(i);
      else this.at.set(c.element, [i]);
    });
  }

  /** The changes on any of the elements, each once, in the comparison's order. */
  on(elements: Iterable<string>): Change[] {
    const picked = new Set<number>();
    for (const e of elements) for (const i of this.at.get(e) ?? []) picked.add(i);
    return [...picked].sort((a, b) => a - b).map((i) => this.changes[i]!);
  }
}
