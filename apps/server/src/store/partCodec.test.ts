import { describe, expect, it } from 'vitest';
import { generateCluster } from '@hoplens/lab';
import { decodePart, encodedJsonLength, encodePart, isEncodedPart } from './partCodec.ts';

/** What the store must give back for a value: JSON.parse of its JSON, exactly. */
const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;
const roundTrip = (v: unknown): unknown => {
  const bytes = encodePart(v, JSON.stringify(v).length);
  if (bytes === undefined) throw new Error('not encoded');
  return decodePart(bytes);
};

describe('partCodec', () => {
  it('gives back what JSON.parse gives for a synthetic cluster’s hosts and pods, key order included', () => {
    const { snapshot } = generateCluster({ nodes: 3, podsPerNode: 20, peerPodShare: 0.3, faults: 2, seed: 5 });
    for (const part of [...snapshot.hosts, snapshot.pods]) {
      const back = roundTrip(part);
      expect(back).toStrictEqual(viaJson(part));
      expect(JSON.stringify(back)).toBe(JSON.stringify(part));
    }
  });

  it('takes values as JSON.stringify does: non-finite numbers, undefined, functions, toJSON, boxed values', () => {
    const v = {
      nums: [0, -0, 1, -1, 2 ** 28 - 1, 2 ** 28, 2 ** 53, -(2 ** 31), 0.1, 1e300, -1e-300, NaN, Infinity, -Infinity],
      gone: undefined,
      fn: () => 1,
      inArray: [undefined, () => 1, Symbol('s'), null, true, false],
      when: new Date(Date.UTC(2026, 10, 27)),
      boxed: [Object(5), Object('five'), Object(false)] as unknown[],
      custom: { toJSON: () => ({ z: 1, a: [2] }) },
      empty: [{}, []],
    };
    expect(roundTrip(v)).toStrictEqual(viaJson(v));
  });

  it('keeps hostile keys and strings as JSON does: __proto__ as an own key, index-like keys, any character', () => {
    const v = JSON.parse(
      '{"__proto__": {"polluted": 1}, "b": 1, "10": "x", "2": "y", "a\\"b": "\\u2028\\ud800 ☃ 😀\\n", "constructor": "c"}',
    ) as Record<string, unknown>;
    const back = roundTrip(v) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(Object.keys(v));
    expect(back).toStrictEqual(v);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('builds wide and many-shaped objects too (those it does not compile a literal for)', () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
    const many = Array.from({ length: 300 }, (_, i) => ({ [`only-${i}`]: i, __proto__: i }));
    expect(roundTrip({ wide, many })).toStrictEqual(viaJson({ wide, many }));
  });

  it('gives each read its own objects, as parsing the JSON again does', () => {
    const bytes = encodePart({ links: [{ mtu: 1500 }] }, 0)!;
    const a = decodePart(bytes) as { links: { mtu: number }[] };
    a.links[0]!.mtu = 9000;
    expect(decodePart(bytes)).toEqual({ links: [{ mtu: 1500 }] });
  });

  it('is told from JSON text by its first byte and carries the length of the JSON it stands for', () => {
    const json = JSON.stringify({ a: 'é' });
    const bytes = encodePart(JSON.parse(json), json.length)!;
    expect(isEncodedPart(bytes)).toBe(true);
    expect(isEncodedPart(Buffer.from(json))).toBe(false);
    expect(encodedJsonLength(bytes)).toBe(json.length);
  });

  it('refuses bytes that are cut short, followed by more, or that point at what they do not have', () => {
    const bytes = encodePart({ name: 'a', items: [1, 2, 3], x: 0.5 }, 0)!;
    expect(() => decodePart(bytes.subarray(0, bytes.byteLength - 1))).toThrow(/damaged/);
    expect(() => decodePart(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/damaged/);
    const lastToken = Buffer.from(bytes);
    lastToken[lastToken.byteLength - 1] = (40 << 3) | 1; // string 40 of a table of two
    expect(() => decodePart(lastToken)).toThrow(/damaged/);
    const longArray = Buffer.from(encodePart([[]], 0)!);
    longArray[longArray.byteLength - 1] = (15 << 3) | 3; // the inner array says 15 items, and none follow
    expect(() => decodePart(longArray)).toThrow(/damaged/);
  });
});
