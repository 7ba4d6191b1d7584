import { afterAll, describe, expect, it } from 'vitest';
import { recordedProbeResult } from '@hoplens/collector/testing';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { HistoryService } from '../../src/services/historyService.ts';
import { ProbeService } from '../../src/services/probeService.ts';
import { SnapshotService } from '../../src/services/snapshotService.ts';
import { probeStoreOf } from '../../src/store/probeStore.ts';
import { SqliteStore } from '../../src/store/sqliteStore.ts';

const store = new SqliteStore(':memory:');
const service = new SnapshotService(store, undefined);
afterAll(async () => {
  service.close();
  await store.close();
});

describe('a snapshot deleted by retention', () => {
  it('takes its probes with it at once, and leaves the kept snapshots’ probes alone', async () => {
    const probeStore = probeStoreOf(store)!;
    new ProbeService(service, probeStore, undefined);
    // Three collections of one source with the same findings: the first holds their first
    // appearance, the last is the newest; retention (keep the last 1) lets the middle one go.
    const ids = ['retain0000000000000000001', 'retain0000000000000000002', 'retain0000000000000000003'];
    for (const [i, id] of ids.entries()) {
      const createdAt = `2026-01-0${i + 1}T00:00:00.000Z`;
      await service.import(Buffer.from(JSON.stringify({ ...broken, id, createdAt })));
      await probeStore.put(
        recordedProbeResult('seed-broken', id, `probe00000000000${i}`, createdAt),
        new Uint8Array([1, 2, 3]),
      );
    }
    const history = new HistoryService(service, store, { retention: { keepLast: 1 }, log: () => undefined });
    const deleted = await history.applyRetention();
    expect(deleted.map((e) => e.id)).toEqual([ids[1]]);
    expect(await probeStore.list(ids[1]!)).toEqual([]);
    expect(await probeStore.pcap(ids[1]!, 'probe000000000001')).toBeUndefined();
    expect(await probeStore.list(ids[0]!)).toHaveLength(1);
    expect(await probeStore.list(ids[2]!)).toHaveLength(1);
  });
});
