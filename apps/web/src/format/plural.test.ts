import { expect, it } from 'vitest';
import { plural } from './plural.ts';

it('writes one pod, and pods for none or many', () => {
  expect(plural(1, 'pod')).toBe('1 pod');
  expect(plural(0, 'pod')).toBe('0 pods');
  expect(plural(12, 'host')).toBe('12 hosts');
});

it('takes the plural of a noun that does not just add an s', () => {
  expect(plural(2, 'change', 'changes')).toBe('2 changes');
  expect(plural(3, 'hop out', 'hops out')).toBe('3 hops out');
});
