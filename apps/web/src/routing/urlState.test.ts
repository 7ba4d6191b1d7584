import { expect, it } from 'vitest';
import { formatUrl, parseUrl } from './urlState.ts';

it('round-trips snapshot, pod and destination through the permalink', () => {
  const state = { snapshot: 'abcDEF_-1234567890123456', pod: 'worker/hl-seed-pod', to: 'node' };
  const url = formatUrl(state);
  expect(url).toBe('/s/abcDEF_-1234567890123456?pod=worker%2Fhl-seed-pod&to=node');
  const [path, search] = url.split('?');
  expect(parseUrl(path!, `?${search}`)).toEqual(state);
});

it('reads the home page as no snapshot and omits an empty query', () => {
  expect(parseUrl('/', '')).toEqual({ snapshot: undefined, pod: undefined, to: 'node' });
  expect(formatUrl({ snapshot: 'x'.repeat(22), pod: undefined, to: 'node' })).toBe(`/s/${'x'.repeat(22)}`);
});
