import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import cbpf from '../../fixtures/filters-node-filters-cbpf-drop.snapshot.json' with { type: 'json' };
import nft from '../../fixtures/filters-peer-pod-filters-nft-tunnel-ok.snapshot.json' with { type: 'json' };
import ovn from '../../fixtures/ovn-acl-drop.snapshot.json' with { type: 'json' };
import { mulberry32 } from '../testing/random.ts';
import { seedFixed } from '../testing/seedFixtures.ts';
import { closedSchema } from './closed.ts';
import { withFastClosedObjects } from './fastClosed.ts';
import { SnapshotSchema } from './snapshot.ts';

const closed = closedSchema(SnapshotSchema);
const fast = Compile(withFastClosedObjects(closed));
const typeboxCompiled = Compile(closed);

/** Every object and array inside `v`, itself included. */
function containers(v: unknown, out: object[] = []): object[] {
  if (typeof v !== 'object' || v === null) return out;
  out.push(v);
  for (const x of Object.values(v)) containers(x, out);
  return out;
}

/** Recorded snapshots between them holding every kind of object (OVS, nftables, tc classifiers), raw output left out. */
const RECORDED = [seedFixed(), ovn, nft, cbpf].map((s) =>
  JSON.stringify(s, (k, v: unknown) => (k === 'output' && typeof v === 'string' ? '' : v)),
);
const fixtures = (): unknown[] => RECORDED.map((json) => JSON.parse(json) as unknown);

/** Key names a hostile file might use to slip past a key check. */
const ODD_KEYS = [
  'junk',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'name\n',
  '^name$',
  'name|x',
  '',
  '0',
];

type Mutation = (target: Record<string, unknown>, pick: <T>(xs: readonly T[]) => T) => void;
const MUTATIONS: readonly Mutation[] = [
  (t, pick) => {
    // As JSON.parse makes it: "__proto__" an own data property, not the prototype.
    Object.defineProperty(t, pick(ODD_KEYS), { value: 1, enumerable: true, writable: true, configurable: true });
  },
  (t, pick) => Object.defineProperty(t, pick(ODD_KEYS), { value: 1, enumerable: false }),
  (t, pick) => {
    const keys = Object.keys(t);
    if (keys.length > 0) delete t[pick(keys)];
  },
  (t, pick) => {
    const keys = Object.keys(t);
    if (keys.length > 0) t[pick(keys)] = pick([null, 'x', -1, 1.5, true, [], {}, { junk: 1 }]);
  },
  (t) => {
    // An inherited field is not an own one: refused by neither (arrays keep theirs: TypeBox calls .every).
    if (!Array.isArray(t)) Object.setPrototypeOf(t, { junk: 1 });
  },
  (t) => {
    t[Symbol('s') as unknown as string] = 1;
  },
];

describe('withFastClosedObjects', () => {
  it('accepts and refuses exactly what the closed schema does, on thousands of hostile variants', () => {
    const rand = mulberry32(20);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const verdicts = { accepted: 0, refused: 0 };
    for (let i = 0; i < 400; i++) {
      const value = JSON.parse(pick(RECORDED)) as unknown;
      for (let m = 1 + Math.floor(rand() * 2); m > 0; m--)
        pick(MUTATIONS)(pick(containers(value)) as Record<string, unknown>, pick);
      const expected = Value.Check(closed, value);
      expect(fast.Check(value)).toBe(expected);
      expect(typeboxCompiled.Check(value)).toBe(expected);
      verdicts[expected ? 'accepted' : 'refused']++;
    }
    // Both answers were exercised, many times each.
    expect(verdicts.accepted).toBeGreaterThan(40);
    expect(verdicts.refused).toBeGreaterThan(150);
  });

  it('refuses an unknown field on an object with optional fields, whatever its name', () => {
    for (const key of ODD_KEYS) {
      const snap = seedFixed() as unknown as { hosts: { namespaces: { links: Record<string, unknown>[] }[] }[] };
      const link = snap.hosts[0]!.namespaces[0]!.links[0]!;
      Object.defineProperty(link, key, { value: 'x', enumerable: true, writable: true, configurable: true });
      expect(Value.Check(closed, snap)).toBe(false);
      expect(fast.Check(snap)).toBe(false);
    }
  });

  it('still accepts the recorded snapshots, and optional fields left out', () => {
    for (const value of fixtures()) expect(fast.Check(value)).toBe(true);
    const snap = seedFixed();
    for (const link of snap.hosts.flatMap((h) => h.namespaces.flatMap((n) => n.links))) delete link.vxlan;
    expect(fast.Check(snap)).toBe(true);
  });

  it('leaves a schema that counts evaluated keys as it is', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } }, unevaluatedProperties: false };
    expect(withFastClosedObjects(schema as never)).toBe(schema);
  });
});
