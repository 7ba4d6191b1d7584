import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, type Snapshot, type SnapshotSummary } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { PostgresStore } from '../../src/store/postgresStore.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../../src/testing/startPostgres.ts';
import { checkedRowContract } from './checkedContract.ts';
import { later, storeContract } from './contract.ts';

const unavailable = postgresUnavailable();
if (unavailable) {
  // Loud, never silent; and in CI not a skip at all.
  if (process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${unavailable}`);
  console.warn(`SKIPPING PostgreSQL store tests: ${unavailable}`);
}

let server: TestPostgres;
let n = 0;
beforeAll(() => {
  if (!unavailable) server = startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(unavailable)('PostgreSQL', () => {
  storeContract('PostgreSQL', async () => PostgresStore.open(await server.database(`contract_${n++}`)));
  checkedRowContract('PostgreSQL', async () => PostgresStore.open(await server.database(`checked_${n++}`)));

  it('tells one server of the snapshots another stores into the same database', async () => {
    const url = await server.database('two_servers');
    const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
    try {
      const heardByB: string[] = [];
      const heardByA: string[] = [];
      b.onForeignPut((id) => heardByB.push(id));
      a.onForeignPut((id) => heardByA.push(id));
      const s = readSnapshot(broken);
      await a.put(
        s,
        {
          id: s.id,
          createdAt: s.createdAt,
          source: s.source,
          hosts: 2,
          pods: 1,
          findings: { info: 0, warning: 0, critical: 0, fatal: 2 },
        },
        [],
      );
      await expect.poll(() => heardByB).toEqual([s.id]);
      expect(heardByA).toEqual([]);
      expect(await b.get(s.id)).toEqual(s);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lets two servers store the same hosts at once without a conflict or a lost part', async () => {
    const url = await server.database('races');
    const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
    try {
      const base = readSnapshot(broken);
      const snaps = Array.from({ length: 12 }, (_, i) => later(base, i + 1));
      const summary = (s: Snapshot): SnapshotSummary => ({
        id: s.id,
        createdAt: s.createdAt,
        source: s.source,
        hosts: 2,
        pods: 1,
        findings: { info: 0, warning: 0, critical: 0, fatal: 2 },
      });
      await Promise.all(snaps.map((s, i) => (i % 2 ? a : b).put(s, summary(s), [])));
      // While one deletes, the other keeps storing snapshots that share the deleted ones' parts.
      const more = Array.from({ length: 6 }, (_, i) => later(base, 100 + i));
      await Promise.all([a.delete(snaps.slice(0, 6).map((s) => s.id)), ...more.map((s) => b.put(s, summary(s), []))]);
      for (const s of [...snaps.slice(6), ...more]) expect(await a.get(s.id)).toEqual(s);
      expect((await b.usage()).blobs).toBe(2 + 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
