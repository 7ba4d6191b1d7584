import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSources, createDump, createSnapshot, snapshotName } from '@hoplens/collector';
import { dumpAgent, fakeAgent, minimalHost, type FakeAgent } from '@hoplens/collector/testing';
import { serveFleet, type Fleet } from '@hoplens/lab';
import { SNAPSHOT_LIMITS, type HostInventory, type Snapshot, type SourcesConfig } from '@hoplens/model';
import { Collections } from '../src/services/collections.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const TOKEN = 'collect-stream-token-0123456789';

/** The snapshot one Collect now of `config` stores (a service over a store in memory, closed after). */
async function collected(config: SourcesConfig): Promise<Snapshot> {
  const store = new SqliteStore(':memory:');
  const service = new SnapshotService(store, config);
  try {
    return await service.snapshot((await service.collect()).id);
  } finally {
    service.close();
    await store.close();
  }
}

/** A snapshot without what differs between two collections of the same hosts: ids and times. */
const comparable = (s: Snapshot): unknown => ({
  source: s.source,
  hosts: s.hosts.map(({ collectedAt: _, ...h }: HostInventory) => h),
  pods: s.pods,
});

describe('a collection whose answers go to the analysis worker as they arrive', () => {
  let fleet: Fleet;
  let dir: string;
  const agents: FakeAgent[] = [];
  let config: SourcesConfig;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoplens-collect-stream-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const dumpFile = join(dir, 'vm.json');
    writeFileSync(dumpFile, JSON.stringify(createDump([minimalHost('from-dump', 64)])));
    fleet = await serveFleet({ agents: 3, podsPerNode: 2, port: 0, token: TOKEN });
    const [impostor, edge, onlyStrays] = await Promise.all([
      dumpAgent([minimalHost('node-1')]),
      dumpAgent([minimalHost('edge', 16), minimalHost('stray')]),
      dumpAgent([minimalHost('stray-2')]),
    ]);
    agents.push(impostor, edge, onlyStrays);
    const fleetSources = fleet.sources(tokenFile, { timeoutMs: 5_000 });
    config = {
      ...fleetSources,
      sources: [
        ...fleetSources.sources,
        // Unbound, it claims a fleet node's name: the bound one keeps it, this one is node-1.2.
        { kind: 'agent', name: 'impostor', url: impostor.url },
        // Bound to `edge`: the `stray` it also reports is refused, said so on `edge`.
        { kind: 'agent', name: 'edge', url: edge.url, hosts: ['edge'] },
        { kind: 'agent', name: 'lonely', url: onlyStrays.url, hosts: ['lonely'] },
        { kind: 'agent', name: 'dead', url: 'http://127.0.0.1:1' },
        { kind: 'dump', path: dumpFile },
      ],
    };
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await fleet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the snapshot that collecting the same sources in one piece makes', async () => {
    const streamed = await collected(config);
    const whole = createSnapshot(
      await collectSources(config, { collectLocal: () => Promise.reject(new Error('no local sources')) }),
      snapshotName(config),
    );
    expect(comparable(streamed)).toEqual(comparable(whole));
    // What the comparison covers: names settled, a refused host said so, failures kept, pods.
    const names = streamed.hosts.map((h) => h.name);
    expect(names).toEqual(['node-0', 'node-1', 'node-2', 'node-1.2', 'edge', 'lonely', 'dead', 'from-dump']);
    const errors = (name: string): string =>
      streamed.hosts
        .find((h) => h.name === name)!
        .errors.map((e) => e.message)
        .join('; ');
    expect(errors('node-1.2')).toMatch(/also reported host node-1, which agent node-1 at .* owns: kept as node-1\.2/);
    expect(errors('edge')).toMatch(/reported host stray, which it may not/);
    expect(errors('lonely')).toMatch(/reported host stray-2, which it may not/);
    expect(errors('dead')).toMatch(/^agent dead at http:\/\/127\.0\.0\.1:1: /);
    expect(streamed.pods.length).toBe(6);
  });
});

describe('a collection with a bound agent that reports thousands of hosts it may not', () => {
  const agents: FakeAgent[] = [];
  afterAll(() => Promise.all(agents.map((a) => a.close())));

  it('neither counts them toward the snapshot’s limits nor lets their refusals fill its host (one source spoils nothing)', async () => {
    // 60,000 strays and half a snapshot's hosts elsewhere: counted, they would pass the hosts limit;
    // each refusal an error of its own, they would pass what one host's errors may be.
    const strays = Array.from({ length: 60_000 }, (_, i) => minimalHost(`stray-${i}`));
    const half = SNAPSHOT_LIMITS.hosts / 2 + 1;
    agents.push(
      await dumpAgent([minimalHost('edge'), ...strays]),
      await dumpAgent(Array.from({ length: half }, (_, i) => minimalHost(`n-${i}`))),
    );
    const config: SourcesConfig = {
      sources: [
        { kind: 'agent', name: 'edge', url: agents[0]!.url, hosts: ['edge'] },
        { kind: 'agent', name: 'fleet', url: agents[1]!.url },
      ],
    };
    const snapshot = await collected(config);
    expect(snapshot.hosts.length).toBe(half + 1);
    const edge = snapshot.hosts.find((h) => h.name === 'edge')!;
    expect(edge.errors.length).toBe(17);
    expect(edge.errors[16]!.message).toMatch(/reported 59984 more hosts, which it may not/);
  });
});

describe('a collection whose answers together pass a limit', () => {
  const agents: FakeAgent[] = [];
  afterAll(() => Promise.all(agents.map((a) => a.close())));

  it('keeps the answers that came first and fails alone the source that came when the room was full', async () => {
    // Two agents of just over half the hosts a snapshot may hold each: each passes alone, not both.
    const half = SNAPSHOT_LIMITS.hosts / 2 + 1;
    const many = (prefix: string): HostInventory[] =>
      Array.from({ length: half }, (_, i) => minimalHost(`${prefix}-${i}`));
    agents.push(await dumpAgent(many('a')), await dumpAgent(many('b')), await dumpAgent([minimalHost('small')]));
    const config: SourcesConfig = {
      concurrency: 1,
      sources: agents.map((a, i) => ({ kind: 'agent', name: `agent-${i}`, url: a.url })),
    };
    const snapshot = await collected(config);
    expect(snapshot.hosts.length).toBe(half + 2);
    const failed = snapshot.hosts.find((h) => h.name === 'agent-1')!;
    expect(failed.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^agent agent-1 at .*: with this collection's other answers, too large: 100003 hosts, at most 100000/,
      ),
    ]);
    expect(snapshot.hosts.some((h) => h.name === 'small')).toBe(true);
  });

  it('keeps room for a host of each source still to answer, so that failed sources never refuse the run', async () => {
    // 99,998 hosts first: with one host kept for each of the two sources after it, the room is full.
    // The next (two hosts) fails alone and leaves one; the last (one host) still fits: 100,000.
    const first = Array.from({ length: SNAPSHOT_LIMITS.hosts - 2 }, (_, i) => minimalHost(`f-${i}`));
    const more: FakeAgent[] = [
      await dumpAgent(first),
      await dumpAgent([minimalHost('two-a'), minimalHost('two-b')]),
      await dumpAgent([minimalHost('one')]),
    ];
    agents.push(...more);
    const config: SourcesConfig = {
      concurrency: 1,
      sources: more.map((a, i) => ({ kind: 'agent', name: `agent-${i}`, url: a.url })),
    };
    const snapshot = await collected(config);
    expect(snapshot.hosts.length).toBe(SNAPSHOT_LIMITS.hosts);
    expect(snapshot.hosts.find((h) => h.name === 'agent-1')!.errors[0]!.message).toMatch(
      /with this collection's other answers, too large: 100001 hosts, at most 100000/,
    );
    expect(snapshot.hosts.find((h) => h.name === 'one')!.errors).toEqual([]);
  });
});

describe('a collection stopped while it runs', () => {
  const agents: FakeAgent[] = [];
  afterAll(() => Promise.all(agents.map((a) => a.close())));

  it('asks no further source, fails those not heard from with the reason, and rejects with it', async () => {
    agents.push(await dumpAgent([minimalHost('first')]));
    // Agents that never answer (each times out after 3 s), asked one at a time: none but the first
    // can be asked before the stop; without it, all four are, one after the other.
    const asked: number[] = [];
    for (let i = 0; i < 4; i++)
      agents.push(
        await fakeAgent(() => {
          asked.push(i);
        }),
      );
    const collections = new Collections({
      concurrency: 1,
      timeoutMs: 3_000,
      sources: agents.map((a, i) => ({ kind: 'agent', name: `agent-${i}`, url: a.url })),
    });
    const why = new Error('the analysis will make no snapshot of it');
    await expect(collections.run((_answers, stop) => stop(why))).rejects.toBe(why);
    expect(asked.length).toBeLessThanOrEqual(1);
    const status = collections.status();
    expect(status.running).toBe(false);
    expect(status.counts).toMatchObject({ total: 5, done: 1, failed: 4, queued: 0, collecting: 0 });
    expect(status.failures.map((f) => f.message)).toEqual(
      Array(4).fill('not collected: the run was stopped: the analysis will make no snapshot of it'),
    );
  });
});
