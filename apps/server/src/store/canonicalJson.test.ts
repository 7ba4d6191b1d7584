import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.ts';

/** How parts were hashed until now: a sorted copy of every object, then JSON.stringify. Stored hashes depend on it. */
const sortedCopy = (value: unknown): string | undefined =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );

const fixtures = new URL('../../../../packages/model/fixtures/', import.meta.url);

describe('canonicalJson', () => {
  it('writes every recorded lab snapshot exactly as the sorted copy did', () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.snapshot.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const snapshot: unknown = JSON.parse(readFileSync(new URL(f, fixtures), 'utf8'));
      expect(canonicalJson(snapshot), f).toBe(sortedCopy(snapshot));
    }
  });

  it('orders index keys first by number, drops undefined members, and writes hostile strings escaped', () => {
    const value = {
      b: [undefined, () => 1, Number.NaN, -0, 1e21],
      '10': 'ten',
      '9': 'nine',
      '01': 'not an index',
      a: { z: undefined, y: 'a"\n\u2028;$(rm -rf /)`<b>', '': null },
      d: new Date(Date.UTC(2026, 0, 1)),
      '4294967295': 'too large for an index',
      nested: JSON.parse('{"z":1,"__proto__":{"polluted":true},"a":2}') as unknown,
    };
    expect(canonicalJson(value)).toBe(sortedCopy(value));
    expect(canonicalJson(value).startsWith('{"9":"nine","10":"ten","01"')).toBe(true);
    expect(canonicalJson(value)).toContain('"nested":{"__proto__":{"polluted":true},"a":2,"z":1}');
  });
});
