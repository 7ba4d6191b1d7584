import { describe, expect, it } from 'vitest';
import { LEGEND } from './legendEntries.ts';
import { STYLESHEET } from './stylesheet.ts';

describe('legend', () => {
  const explained = new Set(Object.values(LEGEND).flatMap((entries) => entries.map((e) => e.explains).flat()));

  it('explains every shape, line and colour the stylesheet draws', () => {
    // The base label and font settings draw nothing of their own.
    const drawn = STYLESHEET.map((s) => s.selector).filter((s) => s !== 'node');
    expect(drawn.filter((s) => !explained.has(s))).toEqual([]);
  });

  it('explains nothing the stylesheet does not draw', () => {
    const drawn = new Set(STYLESHEET.map((s) => s.selector));
    expect([...explained].filter((s) => !drawn.has(s))).toEqual([]);
  });
});
