import { matches, type NftVal, type Pattern } from './nftValue.ts';

/** Below this many exact members a set is read member by member. */
const MIN_INDEXED = 8;

/** A pattern's exact value as a key, and the bits its numbers need per concatenation part. */
interface Exact {
  readonly key: string;
  readonly bits: readonly number[];
}

const bitLength = (v: bigint): number => (v === 0n ? 0 : v.toString(2).length);

/** The key of a pattern that matches exactly one value, or undefined (a prefix, a range, a wildcard, a set). */
function exactOf(p: Pattern): Exact | undefined {
  if (p.kind === 'value') {
    if (p.v.kind === 'str') return { key: `s${p.v.value}`, bits: [0] };
    if (p.v.kind !== 'num' || p.v.value < 0n || bitLength(p.v.value) > p.v.bits) return undefined;
    return { key: `n${p.v.value}`, bits: [bitLength(p.v.value)] };
  }
  if (p.kind === 'concat') {
    const parts = p.parts.map((q) => (q.kind === 'value' ? exactOf(q) : undefined));
    if (parts.some((x) => x === undefined)) return undefined;
    const known = parts as Exact[];
    return { key: `c${JSON.stringify(known.map((x) => x.key))}`, bits: known.map((x) => x.bits[0]!) };
  }
  return undefined;
}

/**
 * The key a fully known value is looked up by, or undefined where the linear reading must decide:
 * a bit not known (the answer may be unknown), or a number narrower than a member needs (`matches`
 * compares under the value's width, so a wider member could still match it).
 */
function keyOf(v: NftVal, needs: readonly number[]): string | undefined {
  if (v.kind === 'str') return `s${v.value}`;
  if (v.kind === 'num') {
    const mask = (1n << BigInt(v.bits)) - 1n;
    if (v.known !== mask || v.bits < (needs[0] ?? 0)) return undefined;
    return `n${v.value & mask}`;
  }
  const parts: string[] = [];
  for (let i = 0; i < v.parts.length; i++) {
    const part = v.parts[i]!;
    if (part.kind === 'concat') return undefined;
    const k = keyOf(part, [needs[i] ?? 0]);
    if (k === undefined) return undefined;
    parts.push(k);
  }
  return `c${JSON.stringify(parts)}`;
}

const widest = (all: readonly Exact[]): number[] => {
  const out: number[] = [];
  for (const x of all) x.bits.forEach((b, i) => (out[i] = Math.max(out[i] ?? 0, b)));
  return out;
};

/**
 * `matches(v, p)` as a function, with a large set's exact members (kube-proxy's `@cluster-ips`,
 * thousands of addresses) in a hash: a fully known value is looked up, the set's other members
 * (prefixes, ranges) read one by one; anything else is read as `matches` reads it. Same answers.
 */
export function patternMatcher(p: Pattern): (v: NftVal) => boolean | 'unknown' {
  if (p.kind !== 'any') return (v) => matches(v, p);
  const exact: Exact[] = [];
  const rest: Pattern[] = [];
  for (const q of p.of) {
    const x = exactOf(q);
    if (x) exact.push(x);
    else rest.push(q);
  }
  if (exact.length < MIN_INDEXED) return (v) => matches(v, p);
  const keys = new Set(exact.map((x) => x.key));
  const needs = widest(exact);
  const others: Pattern = { kind: 'any', of: rest };
  return (v) => {
    const k = keyOf(v, needs);
    if (k === undefined) return matches(v, p);
    return keys.has(k) || matches(v, others);
  };
}

/**
 * The first entry whose pattern a value matches, as a linear reading finds it (`unknown` where an
 * entry before any match cannot be told), through a hash when every entry is exact (kube-proxy's
 * `@service-ips`: an element per Service port) and the value fully known.
 */
export function firstMatch<T>(
  entries: readonly { readonly pattern: Pattern; readonly value: T }[],
): (v: NftVal) => { readonly hit: T } | 'unknown' | undefined {
  const linear = (v: NftVal): { readonly hit: T } | 'unknown' | undefined => {
    for (const x of entries) {
      const r = matches(v, x.pattern);
      if (r === true) return { hit: x.value };
      if (r === 'unknown') return 'unknown';
    }
    return undefined;
  };
  const exact = entries.map((x) => exactOf(x.pattern));
  if (entries.length < MIN_INDEXED || exact.some((x) => x === undefined)) return linear;
  const byKey = new Map<string, T>();
  exact.forEach((x, i) => {
    if (!byKey.has(x!.key)) byKey.set(x!.key, entries[i]!.value);
  });
  const needs = widest(exact as Exact[]);
  return (v) => {
    const k = keyOf(v, needs);
    if (k === undefined) return linear(v);
    return byKey.has(k) ? { hit: byKey.get(k)! } : undefined;
  };
}
