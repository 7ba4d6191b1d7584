import { expect, it } from 'vitest';
import { resolveTheme } from './theme.ts';

it('follows the system until the user chooses, then keeps their choice', () => {
  expect(resolveTheme(null, true)).toBe('dark');
  expect(resolveTheme(null, false)).toBe('light');
  expect(resolveTheme('light', true)).toBe('light');
  expect(resolveTheme('dark', false)).toBe('dark');
  expect(resolveTheme('purple', true)).toBe('dark');
});
