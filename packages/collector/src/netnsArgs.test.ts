import { expect, it } from 'vitest';
import { deviceArg, netnsArgs } from './netnsArgs.ts';

it('passes hostile but legal netns names through as one argv element', () => {
  expect(netnsArgs('ip', 'a;b $(c)\n`d`')).toEqual(['ip', '-n', 'a;b $(c)\n`d`']);
  expect(netnsArgs('tc', null)).toEqual(['tc']);
});

it('refuses netns names that would leave /run/netns', () => {
  for (const bad of ['../etc', 'a/b', '..', '.', '']) expect(() => netnsArgs('ip', bad), bad).toThrow();
});

it('accepts what the kernel accepts as a device name and refuses the rest', () => {
  expect(deviceArg(`x<y>"'&`)).toBe(`x<y>"'&`);
  for (const bad of ['a/b', 'a:b', 'a b', '.', '..', '', 'sixteen-chars-xx'])
    expect(() => deviceArg(bad), bad).toThrow();
});
