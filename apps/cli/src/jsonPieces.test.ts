import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsonPieces } from './jsonPieces.ts';

const joined = (value: unknown, depth?: number): string => {
  const pieces: string[] = [];
  jsonPieces(value, (p) => pieces.push(p), depth);
  return pieces.join('');
};

const fixtures = fileURLToPath(new URL('../../../packages/model/fixtures/', import.meta.url));

/** Everything JSON.stringify treats in its own way, at the top and nested in objects and arrays. */
const odd: Record<string, unknown> = {
  undefinedValue: undefined,
  fn: () => 1,
  sym: Symbol('s'),
  nan: Number.NaN,
  inf: -Infinity,
  negZero: -0,
  date: new Date(Date.UTC(2026, 10, 28)),
  keyed: { toJSON: (key: string) => `toJSON saw ${JSON.stringify(key)}` },
  keyedInArray: [{ toJSON: (key: string) => `element ${key}` }],
  toJsonGivesObject: { toJSON: () => ({ inner: { toJSON: () => 'not called again' } }) },
  arrayWithToJson: Object.assign([1, 2], { toJSON: () => 'array said so' }),
  boxed: [Object(1), Object('s'), Object(false)],
  map: new Map([[1, 2]]),
  nullProto: Object.assign(Object.create(null) as object, { a: 1, b: [undefined, () => 0, Symbol('x')] }),
  sparse: [1, , 3], // eslint-disable-line no-sparse-arrays
  '10': 'integer keys first',
  '2': 'in ascending order',
  text: 'quote " backslash \\ newline \n tab \t nul \u0000 emoji 😀 lone \ud800 end',
  nested: { a: { b: { c: { d: { e: { f: [{ g: [undefined, { h: undefined }] }] } } } } } },
  empty: [{}, [], ''],
};

describe('jsonPieces', () => {
  it('joins to exactly what JSON.stringify writes, at every depth', () => {
    for (let depth = 0; depth <= 8; depth++) {
      expect(joined(odd, depth)).toBe(JSON.stringify(odd));
      for (const v of Object.values(odd)) expect(joined(v, depth)).toBe(JSON.stringify(v) ?? '');
      expect(joined(Object.values(odd), depth)).toBe(JSON.stringify(Object.values(odd)));
    }
  });

  it('emits nothing where JSON.stringify returns undefined', () => {
    for (const v of [undefined, () => 0, Symbol('top')]) expect(joined(v)).toBe('');
  });

  it('throws where JSON.stringify throws', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = { again: cycle };
    expect(() => joined({ n: 1n })).toThrow(TypeError);
    expect(() => joined(cycle, 20)).toThrow(TypeError);
  });

  it('writes the recorded snapshots as JSON.stringify does, in pieces', () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.snapshot.json'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const snapshot = JSON.parse(readFileSync(`${fixtures}${f}`, 'utf8')) as unknown;
      let count = 0;
      const pieces: string[] = [];
      jsonPieces(snapshot, (p) => {
        count++;
        pieces.push(p);
      });
      expect(pieces.join(''), f).toBe(JSON.stringify(snapshot));
      // Pieces, not the whole: the largest is a small part of the document.
      const whole = JSON.stringify(snapshot).length;
      expect(count, f).toBeGreaterThan(10);
      expect(Math.max(...pieces.map((p) => p.length)), f).toBeLessThan(whole / 2);
    }
  });
});
