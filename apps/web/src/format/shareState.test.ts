import { expect, it } from 'vitest';
import { shareState } from './shareState.ts';

it('keeps every share label short enough for the button’s fixed width', () => {
  const answers = [
    undefined,
    { pinned: true, copied: true },
    { pinned: false, copied: true, why: 'a token is needed' },
    { pinned: true, copied: false },
  ];
  for (const a of answers)
    for (const pinned of [false, true]) expect(shareState(a, pinned).label.length).toBeLessThanOrEqual(12);
});

it('says the whole answer in words, with why the snapshot was not kept', () => {
  expect(shareState({ pinned: true, copied: true }, false).said).toBe('link copied, snapshot kept');
  expect(shareState({ pinned: false, copied: true, why: 'a token is needed' }, false)).toMatchObject({
    state: 'copied-not-kept',
    said: 'link copied, but the snapshot is not kept: a token is needed',
  });
  expect(shareState({ pinned: true, copied: false }, true).said).toContain('select the link’s text');
  expect(shareState(undefined, true).label).toBe('share (kept)');
});
