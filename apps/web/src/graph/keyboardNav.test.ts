import { expect, it } from 'vitest';
import { graphKeyAction, PAN_STEP, ZOOM_STEP } from './keyboardNav.ts';

const key = (
  k: string,
  mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => graphKeyAction({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

it('moves the view the way the arrow points, four times as far with Shift', () => {
  // Seeing what is to the right means moving the drawing left: the pan goes negative.
  expect(key('ArrowRight')).toEqual({ kind: 'pan', dx: -PAN_STEP, dy: 0 });
  expect(key('ArrowUp')).toEqual({ kind: 'pan', dx: 0, dy: PAN_STEP });
  expect(key('ArrowDown', { shiftKey: true })).toEqual({ kind: 'pan', dx: 0, dy: -4 * PAN_STEP });
});

it('zooms in with + or =, out with - and fits with 0 or f', () => {
  expect(key('+')).toEqual({ kind: 'zoom', factor: ZOOM_STEP });
  expect(key('=')).toEqual({ kind: 'zoom', factor: ZOOM_STEP });
  expect(key('-')).toEqual({ kind: 'zoom', factor: 1 / ZOOM_STEP });
  expect(key('0')).toEqual({ kind: 'fit' });
  expect(key('f')).toEqual({ kind: 'fit' });
});

it('leaves Tab, Enter and browser shortcuts alone', () => {
  expect(key('Tab')).toBeUndefined();
  expect(key('Enter')).toBeUndefined();
  expect(key('+', { ctrlKey: true })).toBeUndefined();
  expect(key('0', { metaKey: true })).toBeUndefined();
});
