import { expect, it } from 'vitest';
import { megabytes, prepareWords } from './prepareWords.ts';

it('says each step of preparing a snapshot with its size and counts', () => {
  const snapshot = 'abc';
  expect(prepareWords({ snapshot, stage: 'loading', bytes: 368_123_456 })).toBe('loading 368 MB…');
  expect(prepareWords({ snapshot, stage: 'validating', bytes: 368_123_456 })).toBe('validating 368 MB…');
  expect(prepareWords({ snapshot, stage: 'graph', hosts: 20_100, pods: 150_000 })).toBe(
    'building graph of 20,100 hosts and 150,000 pods…',
  );
  expect(prepareWords({ snapshot, stage: 'rules', done: 12, total: 26 })).toBe('rules 12/26');
  expect(prepareWords({ snapshot, stage: 'reading' })).toBe('reading from the store…');
});

it('writes small sizes in kB rather than 0 MB', () => {
  expect(megabytes(900_000)).toBe('900 kB');
  expect(megabytes(1_600_000)).toBe('2 MB');
});
