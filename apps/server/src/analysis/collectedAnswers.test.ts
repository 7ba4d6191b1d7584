import { describe, expect, it } from 'vitest';
import { createDump } from '@hoplens/collector';
import { minimalHost } from '@hoplens/collector/testing';
import { SNAPSHOT_LIMITS, SnapshotLimitError, type HostInventory } from '@hoplens/model';
import type { CollectPlan } from '../services/collectPlan.ts';
import { CollectedAnswers } from './collectedAnswers.ts';

const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const dump = (...hosts: HostInventory[]): Uint8Array => bytes(createDump(hosts));
const plan = (p: CollectPlan): Uint8Array => bytes(p);
const NOW = Date.now();

describe('CollectedAnswers', () => {
  it('makes the snapshot of its answers in the plan’s order, names and errors', () => {
    const c = new CollectedAnswers();
    c.add([{ answer: 1, json: dump(minimalHost('b'), minimalHost('refused')) }]);
    c.add([{ answer: 0, json: dump(minimalHost('a', 8)) }]);
    const s = c.snapshot(
      plan({
        source: 'agents',
        hosts: [
          { answer: 1, at: 0, name: 'b' },
          { answer: 0, at: 0, name: 'a.2', errors: [{ message: 'renamed' }] },
        ],
      }),
      NOW,
    );
    expect(s.source).toBe('agents');
    expect(s.hosts.map((h) => [h.name, h.errors.map((e) => e.message)])).toEqual([
      ['b', []],
      ['a.2', ['renamed']],
    ]);
    // The host is the one the answer held, but for its name and errors.
    expect(s.hosts[1]!.namespaces[0]!.raw[0]!.output).toBe('x'.repeat(8));
    expect(c.bytes).toBeGreaterThan(0);
  });

  it('refuses the snapshot, naming the answer, when an answer it was handed does not read', () => {
    const c = new CollectedAnswers();
    c.add([{ answer: 3, json: Buffer.from('{"kind":"hoplens-dump"') }]);
    c.add([{ answer: 4, json: bytes({ kind: 'hoplens-dump', format: 1, createdAt: 'x', hosts: [{ name: 7 }] }) }]);
    const at = (answer: number) => () => c.snapshot(plan({ source: 's', hosts: [{ answer, at: 0, name: 'h' }] }), NOW);
    expect(at(3)).toThrow(
      expect.objectContaining({ statusCode: 422, message: expect.stringMatching(/^collected answer 3: /) }),
    );
    expect(at(4)).toThrow(
      expect.objectContaining({ statusCode: 422, message: expect.stringMatching(/^collected answer 4: .*dump/) }),
    );
  });

  it('says so when the plan names a host it was never handed', () => {
    const c = new CollectedAnswers();
    c.add([{ answer: 0, json: dump(minimalHost('a')) }]);
    expect(() => c.snapshot(plan({ source: 's', hosts: [{ answer: 0, at: 1, name: 'b' }] }), NOW)).toThrow(
      /host 1 of answer 0, which it never sent/,
    );
  });

  it('checks the made snapshot’s limits as an import’s (413)', () => {
    const c = new CollectedAnswers();
    c.add([{ answer: 0, json: dump(minimalHost('a')) }]);
    const errors = Array.from({ length: SNAPSHOT_LIMITS.errorsPerHost + 1 }, (_, i) => ({ message: `e${i}` }));
    expect(() => c.snapshot(plan({ source: 's', hosts: [{ answer: 0, at: 0, name: 'a', errors }] }), NOW)).toThrow(
      SnapshotLimitError,
    );
  });
});
