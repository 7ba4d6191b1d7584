import { describe, expect, it } from 'vitest';
import { matches, num, type NftVal, type Pattern } from './nftValue.ts';
import { firstMatch, patternMatcher } from './patternIndex.ts';

const v = (bits: number, value: number): Pattern => ({ kind: 'value', v: num(bits, value) });
const addr = (i: number): number => ((10 << 24) | (96 << 16) | i) >>> 0;
const partly = (bits: number, value: number, known: bigint): NftVal => ({
  kind: 'num',
  bits,
  value: BigInt(value),
  known,
});
const concat = (...parts: NftVal[]): NftVal => ({ kind: 'concat', parts });
const svc = (i: number): Pattern => ({ kind: 'concat', parts: [v(32, addr(i)), v(8, 6), v(16, 8000 + i)] });

/** Values a hash could get wrong: members, near misses, unknown bits, narrower widths, other kinds. */
const probes: NftVal[] = [
  num(32, addr(3)),
  num(32, addr(300)),
  num(16, addr(3) & 0xffff),
  partly(32, addr(3), 0xffffff00n),
  { kind: 'str', value: 'eth0' },
  num(32, (10 << 24) | (200 << 16)),
  concat(num(32, addr(3)), num(8, 6), num(16, 8003)),
  concat(num(32, addr(3)), num(8, 17), num(16, 8003)),
  concat(num(32, addr(3)), num(8, 6), partly(16, 8003, 0n)),
  concat(num(32, addr(3)), num(8, 6)),
  concat(num(32, addr(3)), num(4, 6), num(16, 8003)),
];

describe('large nftables sets looked up by hash', () => {
  it('answers every probe as the member-by-member reading does, for a set of addresses with a prefix among them', () => {
    const members = Array.from({ length: 100 }, (_, i) => v(32, addr(i)));
    const set: Pattern = {
      kind: 'any',
      of: [...members, { kind: 'prefix', v: num(32, (10 << 24) | (200 << 16)), mask: 0xffff0000n }],
    };
    const m = patternMatcher(set);
    for (const p of probes) expect([p, m(p)]).toEqual([p, matches(p, set)]);
    expect(m(num(32, addr(3)))).toBe(true);
    expect(m(partly(32, addr(3), 0xffffff00n))).toBe('unknown');
  });

  it('picks the first element of a verdict map as the reading in order does, duplicates and unknown keys included', () => {
    const entries = [
      ...Array.from({ length: 50 }, (_, i) => ({ pattern: svc(i), value: `svc${i}` })),
      { pattern: svc(3), value: 'duplicate' },
    ];
    const first = firstMatch(entries);
    const linear = (k: NftVal) => {
      for (const x of entries) {
        const r = matches(k, x.pattern);
        if (r === true) return { hit: x.value };
        if (r === 'unknown') return 'unknown';
      }
      return undefined;
    };
    for (const p of probes) expect([p, first(p)]).toEqual([p, linear(p)]);
    expect(first(concat(num(32, addr(3)), num(8, 6), num(16, 8003)))).toEqual({ hit: 'svc3' });
  });

  it('reads a map with a range among its elements in order, as before', () => {
    const entries = [
      { pattern: { kind: 'range', lo: 0n, hi: 10n } as Pattern, value: 'low' },
      ...Array.from({ length: 20 }, (_, i) => ({ pattern: v(16, i), value: `p${i}` })),
    ];
    expect(firstMatch(entries)(num(16, 5))).toEqual({ hit: 'low' });
    expect(firstMatch(entries)(num(16, 15))).toEqual({ hit: 'p15' });
  });
});
