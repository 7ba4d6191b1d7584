import { describe, expect, it } from 'vitest';
import { MultiTable } from './multiTable.ts';

describe('MultiTable', () => {
  it('keeps one value alone and several in an array, by key', () => {
    const t = new MultiTable<{ n: number }>(4);
    const [a, b, c] = [{ n: 1 }, { n: 2 }, { n: 3 }];
    expect(t.add('aa:bb', a)).toBe(1);
    expect(t.add('10.0.0.1', b)).toBe(1);
    expect(t.add('aa:bb', c)).toBe(2);
    expect(t.add('aa:bb', b)).toBe(3);
    expect(t.get('aa:bb')).toEqual([a, c, b]);
    expect(t.get('10.0.0.1')).toBe(b);
    expect(t.get('AA:BB')).toBeUndefined();
    expect(t.get('')).toBeUndefined();
    expect(t.size).toBe(2);
  });

  it('answers as a Map would when far more keys come than expected (grows, collides, probes)', () => {
    const t = new MultiTable<{ k: string }>(0);
    const m = new Map<string, { k: string }[]>();
    for (let i = 0; i < 20_000; i++) {
      // Similar keys, repeated now and then: what MACs and IPs of a cluster look like.
      const k = i % 7 === 0 ? `10.${(i >> 8) & 255}.0.${i % 13}` : `0a:58:${(i & 0xffff).toString(16)}:${i >> 16}`;
      const v = { k };
      const list = m.get(k) ?? [];
      list.push(v);
      m.set(k, list);
      expect(t.add(k, v)).toBe(list.length);
    }
    expect(t.size).toBe(m.size);
    for (const [k, list] of m) expect(t.get(k)).toEqual(list.length === 1 ? list[0] : list);
    for (let i = 0; i < 1_000; i++) expect(t.get(`absent-${i}`)).toBeUndefined();
  });
});
