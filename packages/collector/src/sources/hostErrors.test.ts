import { describe, expect, it } from 'vitest';
import { SNAPSHOT_LIMITS } from '@hoplens/model';
import { withErrors } from './hostErrors.ts';

const errors = (n: number, prefix: string): { message: string }[] =>
  Array.from({ length: n }, (_, i) => ({ message: `${prefix}${i}` }));

describe('withErrors', () => {
  it('adds the collection’s errors after the host’s own', () => {
    expect(withErrors(errors(2, 'own'), errors(1, 'more'))).toEqual([...errors(2, 'own'), ...errors(1, 'more')]);
  });

  it('never makes more than a host may have: the host’s last own ones are counted, the added ones kept', () => {
    const max = SNAPSHOT_LIMITS.errorsPerHost;
    const out = withErrors(errors(max, 'own'), errors(3, 'more'));
    expect(out).toHaveLength(max);
    expect(out.slice(-3)).toEqual(errors(3, 'more'));
    expect(out[max - 4]).toEqual({ message: `4 more errors of this host left out: a host may have ${max}` });
    expect(out[max - 5]).toEqual({ message: `own${max - 5}` });
  });
});
