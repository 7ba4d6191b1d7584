import { expect, it } from 'vitest';
import { shiftIntoView } from './shiftIntoView.ts';

it('leaves a popup inside the window where it is', () => {
  expect(shiftIntoView({ left: 100, right: 700 }, 1440)).toBe(0);
});

it("moves one that opens past the window's left edge right, by what is past it and the margin", () => {
  // The legend anchored at the right of a Legend button at the start of a toolbar row.
  expect(shiftIntoView({ left: -296, right: 344 }, 1440)).toBe(304);
});

it('moves one past the right edge left, and one wider than the window so that its left edge shows', () => {
  expect(shiftIntoView({ left: 900, right: 1500 }, 1440)).toBe(-68);
  expect(shiftIntoView({ left: 0, right: 2000 }, 1024)).toBe(8);
});
