import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix } from '@hoplens/lab';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { SqliteStore } from '../../src/store/sqliteStore.ts';
import { importThenKill, startHoplens, type HoplensProcess } from '../../src/testing/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-crash-'));
const db = join(dir, 'h.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real `hoplens start` in its own process, on this test's database. */
const startProcess = (extra: string[] = []): Promise<HoplensProcess> => startHoplens(['--db', db, ...extra]);

/** Opens the database as a restarted server would and checks every row. */
async function inspect(): Promise<{ ids: string[]; integrity: string }> {
  const store = new SqliteStore(db);
  try {
    const ids = (await store.list()).map((s) => s.id);
    for (const id of ids) expect((await store.get(id))?.id).toBe(id);
    return { ids, integrity: store.integrityCheck() };
  } finally {
    await store.close();
  }
}

describe('kill -9 during writes', () => {
  it('loses no acknowledged snapshot and leaves no half-written one, over 5 crashes', async () => {
    const acknowledged = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const server = await startProcess();
      await importThenKill({
        url: server.url,
        snapshot: fixed,
        idPrefix: `crash${round}`,
        count: 40,
        atLeast: 1 + round * 3,
        kill: () => server.kill9(),
        acknowledged,
      });
      const { ids, integrity } = await inspect();
      expect(integrity).toBe('ok');
      for (const id of acknowledged) expect(ids, `acknowledged ${id} lost`).toContain(id);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    // Five server starts: each transpiles the server's sources, ten seconds and more on a busy machine.
  }, 180_000);
});

describe.skipIf(!canBuildNetns())('kill -9 during a collection', () => {
  const prefix = newLabPrefix();
  afterAll(() => labDown(prefix));

  it('keeps the store sound, and the restarted server collects again', async () => {
    const plan = await labUp({ scenario: 'seed', variant: 'broken', prefix });
    const hosts = join(dir, 'hosts.json');
    writeFileSync(hosts, JSON.stringify(plan.hostMap));
    const before = (await inspect()).ids;
    const first = await startProcess(['--hosts', hosts]);
    const pending = fetch(`${first.url}/api/collect`, { method: 'POST' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 150));
    await first.kill9();
    await pending;
    const after = await inspect();
    expect(after.integrity).toBe('ok');
    for (const id of before) expect(after.ids).toContain(id);

    const second = await startProcess(['--hosts', hosts]);
    try {
      const res = await fetch(`${second.url}/api/collect`, { method: 'POST' });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ findings: { fatal: 2 } });
    } finally {
      await second.kill9();
    }
  });
});
