import { expect, it } from 'vitest';
import { MAX_OPEN_GROUPS, withExpanded } from './groupIndex.ts';

it('opens new groups last and closes the longest open past the limit, never one just asked for', () => {
  expect(withExpanded(['a'], ['a', 'b', 'b'])).toEqual(['a', 'b']);
  const full = Array.from({ length: MAX_OPEN_GROUPS }, (_, i) => `g${i}`);
  expect(withExpanded(full, ['new'])).toEqual([...full.slice(1), 'new']);
  const many = Array.from({ length: MAX_OPEN_GROUPS + 2 }, (_, i) => `n${i}`);
  expect(withExpanded(full, many)).toEqual(many);
});
