import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, type Snapshot } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { PostgresStore } from '../src/store/postgresStore.ts';
import type { SnapshotStore } from '../src/store/snapshotStore.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../src/testing/startPostgres.ts';

/** The seed as one source collected it at minute `n`. */
function collected(source: string, n: number, base: unknown): Snapshot {
  const s = readSnapshot(base);
  const at = new Date(Date.UTC(2026, 10, 26, 9, n * 5)).toISOString();
  return {
    ...s,
    id: `${source}${n}`.padEnd(22, 'x'),
    source,
    createdAt: at,
    hosts: s.hosts.map((h) => ({ ...h, collectedAt: at })),
  };
}

/** Opens GET /api/events and collects its events by name until `until` says enough. */
async function listen(url: string): Promise<{ events: { name: string; data: unknown }[]; close: () => Promise<void> }> {
  const res = await fetch(`${url}/api/events`);
  const reader = res.body!.getReader();
  await reader.read();
  const events: { name: string; data: unknown }[] = [];
  let buffer = '';
  const pump = (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = (await reader.read().catch(() => ({ done: true, value: undefined }))) as {
        value?: Uint8Array;
        done: boolean;
      };
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const [head, data] = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        if (head?.startsWith('event: ') && data?.startsWith('data: '))
          events.push({ name: head.slice(7), data: JSON.parse(data.slice(6)) });
      }
    }
  })();
  return {
    events,
    close: async () => {
      await reader.cancel();
      await pump;
    },
  };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function serve(store: SnapshotStore): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({ service: new SnapshotService(store, undefined) });
  return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

describe('event: findings', () => {
  it('announces the findings a new snapshot has that the one before it in its source lacked', async () => {
    const store = new SqliteStore(':memory:');
    const { app, url } = await serve(store);
    const stream = await listen(url);
    try {
      const before = collected('onesource', 1, fixed);
      const after = collected('onesource', 2, broken);
      expect((await post(url, before)).status).toBe(201);
      expect((await post(url, after)).status).toBe(201);
      await expect.poll(() => stream.events.filter((e) => e.name === 'findings')).toHaveLength(1);
      const e = stream.events.find((x) => x.name === 'findings')!.data as {
        before: string;
        added: { rule: string }[];
        snapshot: { id: string };
      };
      expect(e.before).toBe(before.id);
      expect(e.snapshot.id).toBe(after.id);
      expect(e.added.map((f) => f.rule)).toContain('mac-mismatch-across-tunnel');
    } finally {
      await stream.close();
      await app.close();
      await store.close();
    }
  });
});

const unavailable = postgresUnavailable();
if (unavailable && process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${unavailable}`);

describe.skipIf(unavailable)('events across two servers on one PostgreSQL database', () => {
  let pg: TestPostgres;
  beforeAll(() => {
    pg = startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('streams, on one server, the snapshot and the new findings stored through the other', async () => {
    const dbUrl = await pg.database('events');
    const [storeA, storeB] = await Promise.all([PostgresStore.open(dbUrl), PostgresStore.open(dbUrl)]);
    const a = await serve(storeA);
    const b = await serve(storeB);
    const stream = await listen(b.url);
    try {
      const before = collected('cluster', 1, fixed);
      const after = collected('cluster', 2, broken);
      expect((await post(a.url, before)).status).toBe(201);
      expect((await post(a.url, after)).status).toBe(201);
      await expect.poll(() => stream.events.map((e) => e.name).sort()).toEqual(['findings', 'snapshot', 'snapshot']);
      expect((stream.events.find((e) => e.name === 'findings')!.data as { before: string }).before).toBe(before.id);
      expect((await fetch(`${b.url}/api/snapshots/${after.id}/findings`)).status).toBe(200);
    } finally {
      await stream.close();
      await Promise.all([a.app.close(), b.app.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });
});
