import { describe, expect, it } from 'vitest';
import { createDump } from '@hoplens/collector';
import { minimalHost } from '@hoplens/collector/testing';
import { readSnapshot, SNAPSHOT_LIMITS, SnapshotLimitError, type HostInventory, type LinkStats } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import type { CollectPlan } from '../services/collectPlan.ts';
import { splitSnapshot } from '../store/snapshotParts.ts';
import { AnalysisHost } from './analysisHost.ts';
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

  it('refuses the collection (413) once its answers pass a limit together, and reads no more', () => {
    const c = new CollectedAnswers();
    const many = { namespaces: new Array(SNAPSHOT_LIMITS.namespacesPerHost).fill({}) };
    const piece = bytes({ kind: 'hoplens-dump', format: 1, createdAt: 'x', hosts: new Array(62).fill(many) });
    c.add([{ answer: 0, json: piece }]);
    c.add([{ answer: 1, json: piece }]);
    const read = c.bytes;
    c.add([{ answer: 2, json: dump(minimalHost('late')) }]);
    expect(c.bytes).toBe(read);
    expect(() => c.snapshot(plan({ source: 's', hosts: [{ answer: 2, at: 0, name: 'late' }] }), NOW)).toThrow(
      expect.objectContaining({ limit: 'namespaces' }),
    );
  });

  it('asks for another collection (503) when its first answers went to a worker before this one', () => {
    const c = new CollectedAnswers(true);
    c.add([{ answer: 7, json: dump(minimalHost('a')) }]);
    expect(() => c.snapshot(plan({ source: 's', hosts: [{ answer: 7, at: 0, name: 'a' }] }), NOW)).toThrow(
      expect.objectContaining({ statusCode: 503, message: expect.stringMatching(/never reached the analysis/) }),
    );
  });
});

describe('AnalysisHost streams', () => {
  it('makes a collection’s snapshot of the answers it was handed, and refuses one that began elsewhere', async () => {
    const host = new AnalysisHost(2 ** 30);
    host.answers(1, [{ answer: 0, json: dump(minimalHost('a')) }]);
    host.answers(1, [{ answer: 1, json: dump(minimalHost('b')) }]);
    // Refused as its answers are handed over, so that the run stops asking its sources.
    expect(() => host.answers(2, [{ answer: 5, json: dump(minimalHost('c')) }])).toThrow(
      expect.objectContaining({ statusCode: 503, message: expect.stringMatching(/first answers never reached/) }),
    );
    const places = {
      source: 's',
      hosts: [
        { answer: 1, at: 0, name: 'b' },
        { answer: 0, at: 0, name: 'a' },
      ],
    };
    const made = await host.collected(1, plan(places), NOW);
    expect(made.summary.hosts).toBe(2);
    // Its answers are gone with it: the same stream again has none.
    await expect(host.collected(1, plan(places), NOW)).rejects.toMatchObject({ statusCode: 503 });
    await expect(
      host.collected(2, plan({ source: 's', hosts: [{ answer: 5, at: 0, name: 'c' }] }), NOW),
    ).rejects.toMatchObject({ statusCode: 503, message: expect.stringMatching(/first answers never reached/) });
  });

  it('says, as the answers are handed over, that a collection past a limit is refused (413)', () => {
    const host = new AnalysisHost(2 ** 30);
    const many = { namespaces: new Array(SNAPSHOT_LIMITS.namespacesPerHost).fill({}) };
    const piece = bytes({ kind: 'hoplens-dump', format: 1, createdAt: 'x', hosts: new Array(62).fill(many) });
    host.answers(3, [{ answer: 0, json: piece }]);
    expect(() => host.answers(3, [{ answer: 1, json: piece }])).toThrow(
      expect.objectContaining({ limit: 'namespaces' }),
    );
    // And again for whatever was already on its way.
    expect(() => host.answers(3, [{ answer: 2, json: dump(minimalHost('late')) }])).toThrow(SnapshotLimitError);
  });
});
