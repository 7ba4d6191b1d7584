import { describe, expect, it } from 'vitest';
import { createDump } from '@hoplens/collector';
import { minimalHost } from '@hoplens/collector/testing';
import { readSnapshot, SNAPSHOT_LIMITS, SnapshotLimitError, type HostInventory, type LinkStats } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import type { CollectPlan } from '../services/collectPlan.ts';
import { splitSnapshot } from '../store/snapshotParts.ts';
import { CollectedAnswers } from './collectedAnswers.ts';

const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const dump = (...hosts: HostInventory[]): Uint8Array => bytes(createDump(hosts));
const plan = (p: CollectPlan): Uint8Array => bytes(p);
const NOW = Date.now();
const COUNTERS: LinkStats = {
  rxPackets: 0,
  rxBytes: 0,
  rxErrors: 0,
  rxDropped: 0,
  txPackets: 0,
  txBytes: 0,
  txErrors: 0,
  txDropped: 0,
};

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

  it('cuts each host into its stored part as it arrives, as the import of the made snapshot would', () => {
    const hosts = structuredClone(readSnapshot(broken).hosts);
    const link = hosts[1]!.namespaces[0]!.links[0]!;
    link.stats = { ...COUNTERS, rxPackets: 5, rxOtherhostDropped: 3 };
    const c = new CollectedAnswers();
    c.add([{ answer: 0, json: dump(...hosts) }]);
    const places = hosts.map((h, at) => ({ answer: 0, at, name: at === 0 ? `${h.name}.2` : h.name }));
    const s = c.snapshot(plan({ source: 'seed', hosts: places }), NOW);
    const whole = splitSnapshot(s);
    expect(splitSnapshot(s, c.cut)).toEqual(whole);
    // The counters of several hosts' links, each row led by its host's place in the snapshot.
    expect(whole.stats).toContainEqual([1, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 3]);
    expect(new Set(whole.stats.map((row) => row[0])).size).toBeGreaterThan(1);
    // Kept from when it arrived; the renamed host is cut again, under its new name.
    expect(c.cut(s.hosts[1]!)).toBe(c.cut(s.hosts[1]!));
    expect(c.cut(s.hosts[0]!)).not.toBe(c.cut(s.hosts[0]!));
    expect(c.cut(s.hosts[0]!).part.json).toContain(`"${hosts[0]!.name}.2"`);
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

  it('asks for another collection (503) when the plan names an answer it never got', () => {
    const c = new CollectedAnswers();
    c.add([{ answer: 0, json: dump(minimalHost('a')) }]);
    for (const place of [
      { answer: 0, at: 1, name: 'b' },
      { answer: 1, at: 0, name: 'c' },
    ])
      expect(() => c.snapshot(plan({ source: 's', hosts: [place] }), NOW)).toThrow(
        expect.objectContaining({
          statusCode: 503,
          message: expect.stringMatching(/never reached the analysis: collect again/),
        }),
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
