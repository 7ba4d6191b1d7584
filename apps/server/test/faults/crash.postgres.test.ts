import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import {
  importThenKill,
  postgresUnavailable,
  startHoplens,
  startPostgres,
  type HoplensProcess,
  type TestPostgres,
} from '../../src/testing/index.ts';

const unavailable = postgresUnavailable();
if (unavailable) {
  if (process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${unavailable}`);
  console.warn(`SKIPPING PostgreSQL crash tests: ${unavailable}`);
}

let pg: TestPostgres;
let url: string;
let survivor: HoplensProcess;
beforeAll(async () => {
  if (unavailable) return;
  pg = startPostgres();
  url = await pg.database('crash');
  survivor = await startHoplens(['--db', url]);
}, 60_000);
afterAll(async () => {
  await survivor?.kill9();
  await pg?.stop();
});

describe.skipIf(unavailable)('kill -9 of one of two replicas on PostgreSQL', () => {
  it('loses no snapshot acknowledged by the killed replica: the other serves every one', async () => {
    const acknowledged = new Set<string>();
    for (let round = 0; round < 2; round++) {
      const victim = await startHoplens(['--db', url]);
      await importThenKill({
        url: victim.url,
        snapshot: fixed,
        idPrefix: `pgcrash${round}`,
        count: 30,
        atLeast: 3 + round * 4,
        kill: () => victim.kill9(),
        acknowledged,
      });
      const listed = (await (await fetch(`${survivor.url}/api/snapshots`)).json()) as { id: string }[];
      const ids = new Set(listed.map((s) => s.id));
      for (const id of acknowledged) expect(ids.has(id), `acknowledged ${id} lost`).toBe(true);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    // Every one reads back whole through the survivor.
    for (const id of [...acknowledged].slice(0, 5)) {
      const res = await fetch(`${survivor.url}/api/snapshots/${id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { hosts: unknown[] }).hosts).toHaveLength(fixed.hosts.length);
    }
  }, 120_000);
});
