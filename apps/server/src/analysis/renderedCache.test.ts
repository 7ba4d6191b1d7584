import { describe, expect, it } from 'vitest';
import { RenderedCache } from './renderedCache.ts';

describe('RenderedCache', () => {
  it('renders once per key and evicts the least recently used past the budget', () => {
    const cache = new RenderedCache(20);
    let renders = 0;
    const render = (v: string) => () => (renders++, Buffer.from(v));
    expect(cache.get('a', render('aaaaaaaa')).toString()).toBe('aaaaaaaa');
    expect(cache.get('a', render('other')).toString()).toBe('aaaaaaaa');
    expect(renders).toBe(1);
    cache.get('b', render('bbbbbbbb'));
    cache.get('a', render('x')); // a is now the most recent
    cache.get('c', render('cccccccc')); // 24 bytes in all: b goes
    expect(cache.size).toBe(2);
    expect(cache.usedBytes).toBe(16);
    expect(cache.get('b', render('b2')).toString()).toBe('b2');
    expect(cache.get('c', render('c2')).toString()).toBe('cccccccc');
  });

  it('answers but does not keep a rendering larger than the whole budget', () => {
    const cache = new RenderedCache(4);
    expect(cache.get('big', () => Buffer.from('too large')).toString()).toBe('too large');
    expect(cache.size).toBe(0);
  });

  it('forgets the views of one snapshot', () => {
    const cache = new RenderedCache(100);
    cache.get('s1\0host:a', () => Buffer.from('one'));
    cache.get('s2\0host:a', () => Buffer.from('two'));
    cache.forget('s1\0');
    expect(cache.size).toBe(1);
    expect(cache.usedBytes).toBe(3);
  });
});
