import { describe, expect, it } from 'vitest';
import { closedForRoom, MAX_OPEN_GROUPS, withExpanded } from './groupIndex.ts';

it('opens new groups last and closes the longest open past the limit, never one just asked for', () => {
  expect(withExpanded(['a'], ['a', 'b', 'b'])).toEqual(['a', 'b']);
  const full = Array.from({ length: MAX_OPEN_GROUPS }, (_, i) => `g${i}`);
  expect(withExpanded(full, ['new'])).toEqual([...full.slice(1), 'new']);
  const many = Array.from({ length: MAX_OPEN_GROUPS + 2 }, (_, i) => `n${i}`);
  expect(withExpanded(full, many)).toEqual(many);
});

describe('closedForRoom', () => {
  const eight = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8'];
  it('names the group a ninth one closed', () => {
    expect(closedForRoom(eight, withExpanded(eight, ['g9']))).toEqual(['g1']);
  });
  it('names none when a group is only opened, or only closed by the user', () => {
    expect(closedForRoom(['g1'], withExpanded(['g1'], ['g2']))).toEqual([]);
    expect(closedForRoom(eight, eight.slice(1))).toEqual([]);
  });
});
