import { describe, expect, it } from 'vitest';
import type { Analysis } from '@hoplens/model';
import { AnalysisCache } from './analysisCache.ts';

const analysis = (): Analysis => ({}) as Analysis;

describe('AnalysisCache', () => {
  it('evicts the least recently used once the estimated bytes pass the budget, not by count', () => {
    const cache = new AnalysisCache(100);
    for (const id of ['a', 'b', 'c']) cache.add(id, analysis(), 30);
    cache.get('a');
    cache.add('d', analysis(), 30);
    expect(['a', 'b', 'c', 'd'].filter((id) => cache.peek(id))).toEqual(['a', 'c', 'd']);
    expect(cache.usedBytes).toBe(90);
    // Many small ones fit where a count of 8 would have stopped.
    const small = new AnalysisCache(100);
    for (let i = 0; i < 50; i++) small.add(String(i), analysis(), 2);
    expect(small.size).toBe(50);
  });

  it('keeps the one just added even when it alone is over the budget', () => {
    const cache = new AnalysisCache(100);
    cache.add('a', analysis(), 10);
    cache.add('huge', analysis(), 500);
    expect(cache.peek('huge')).toBeDefined();
    expect(cache.peek('a')).toBeUndefined();
  });

  it('makes room before an analysis is built', () => {
    const cache = new AnalysisCache(100);
    cache.add('a', analysis(), 60);
    cache.makeRoom(50);
    expect(cache.size).toBe(0);
    expect(cache.usedBytes).toBe(0);
  });

  it('never evicts what the question being answered needs, even over the budget', () => {
    const cache = new AnalysisCache(100);
    cache.add('old', analysis(), 10);
    cache.add('a', analysis(), 80);
    cache.add('b', analysis(), 80, new Set(['a', 'b']));
    expect(['old', 'a', 'b'].filter((id) => cache.peek(id))).toEqual(['a', 'b']);
    expect(cache.usedBytes).toBe(160);
    // The next question without them: back under the budget, the least recently used out first.
    cache.add('c', analysis(), 10);
    expect(['a', 'b', 'c'].filter((id) => cache.peek(id))).toEqual(['b', 'c']);
    expect(cache.usedBytes).toBe(90);
  });
});
