import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedProbeResult } from '@hoplens/collector/testing';
import { readSnapshot, type ProbeResult, type Snapshot } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { PostgresStore } from '../../src/store/postgresStore.ts';
import type { ProbeStore } from '../../src/store/probeStore.ts';
import { probeStoreOf } from '../../src/store/probeStore.ts';
import type { SnapshotStore } from '../../src/store/snapshotStore.ts';
import { SqliteStore } from '../../src/store/sqliteStore.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../../src/testing/startPostgres.ts';

const seed: Snapshot = readSnapshot(broken);
/** The recorded seed probe, as the server would keep it for `snapshotId`. */
const resultFor = (snapshotId: string, id: string, createdAt: string): ProbeResult =>
  recordedProbeResult('seed-broken', snapshotId, id, createdAt);

const PCAP = Buffer.from([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c, 0xff, 0x00]);

async function withSeed(store: SnapshotStore): Promise<ProbeStore> {
  await store.put(
    seed,
    {
      id: seed.id,
      createdAt: seed.createdAt,
      source: seed.source,
      hosts: 2,
      pods: 1,
      findings: { info: 0, warning: 0, critical: 0, fatal: 1 },
    },
    [],
  );
  const probes = probeStoreOf(store);
  if (!probes) throw new Error('a SQL store has a probe store beside it');
  return probes;
}

function probeStoreContract(name: string, open: () => Promise<SnapshotStore>): void {
  describe(`${name}: probes kept beside the snapshots`, () => {
    it('gives back the result and the pcap byte for byte, and lists a snapshot’s probes newest first', async () => {
      const store = await open();
      try {
        const probes = await withSeed(store);
        await probes.put(resultFor(seed.id, 'probe0000000000001', '2026-01-01T00:00:00.000Z'), PCAP);
        await probes.put(resultFor(seed.id, 'probe0000000000002', '2026-01-01T00:01:00.000Z'), PCAP);
        expect((await probes.list(seed.id)).map((p) => [p.id, p.observed, p.agreement])).toEqual([
          ['probe0000000000002', 'dropped', 'agree'],
          ['probe0000000000001', 'dropped', 'agree'],
        ]);
        expect(await probes.get(seed.id, 'probe0000000000001')).toEqual(
          resultFor(seed.id, 'probe0000000000001', '2026-01-01T00:00:00.000Z'),
        );
        expect(Buffer.compare((await probes.pcap(seed.id, 'probe0000000000001'))!, PCAP)).toBe(0);
        expect(await probes.get('another-snapshot', 'probe0000000000001')).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it('drops the probes of a deleted snapshot, and those of a snapshot retention removed at the next write', async () => {
      const store = await open();
      try {
        const probes = await withSeed(store);
        await probes.put(resultFor('gone-by-retention', 'probe00000000orphan', '2026-01-01T00:00:00.000Z'), PCAP);
        await probes.put(resultFor(seed.id, 'probe000000000kept', '2026-01-01T00:01:00.000Z'), PCAP);
        expect(await probes.list('gone-by-retention')).toEqual([]);
        expect(await probes.list(seed.id)).toHaveLength(1);
        await probes.deleteFor([seed.id]);
        expect(await probes.list(seed.id)).toEqual([]);
        expect(await probes.pcap(seed.id, 'probe000000000kept')).toBeUndefined();
      } finally {
        await store.close();
      }
    });
  });
}

probeStoreContract('SQLite', () => Promise.resolve(new SqliteStore(':memory:')));

const unavailable = postgresUnavailable();
let server: TestPostgres | undefined;
let n = 0;
beforeAll(() => {
  if (!unavailable) server = startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
if (unavailable && process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${unavailable}`);
describe.skipIf(unavailable)('PostgreSQL', () => {
  probeStoreContract('PostgreSQL', async () => PostgresStore.open(await server!.database(`probes_${n++}`)));
});
