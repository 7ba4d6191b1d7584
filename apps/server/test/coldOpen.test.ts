import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PrepareEventSchema, validate, type PrepareEvent } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

/** Reads `event: prepare` blocks from a real event stream until one for `id` ends its preparation. */
async function prepareEvents(url: string, id: string, opened: () => void): Promise<PrepareEvent[]> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const out: PrepareEvent[] = [];
  let buffer = '';
  opened();
  for (;;) {
    const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.startsWith('event: prepare\n')) continue;
      const e = validate(PrepareEventSchema, JSON.parse(block.slice(block.indexOf('data: ') + 6)), 'prepare event');
      if (e.snapshot === id) out.push(e);
    }
    const last = out.at(-1)?.stage;
    if (last === 'ready' || last === 'failed') break;
  }
  await reader.cancel();
  return out;
}

let dir: string;
let store: SqliteStore;
let app: FastifyInstance;
let service: SnapshotService;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoplens-cold-'));
  const db = join(dir, 'h.db');
  // Imported by one server, then opened by a new one on the same database: a restart.
  const before = new SqliteStore(db);
  const first = new SnapshotService(before, undefined);
  await first.import(Buffer.from(JSON.stringify(broken)));
  first.close();
  await before.close();
  store = new SqliteStore(db);
  service = new SnapshotService(store, undefined);
  app = await buildApp({ service });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('after a restart, the first view of a snapshot streams each step of preparing it, in order, to ready', async () => {
  let view: Promise<Response> | undefined;
  const events = await prepareEvents(`${base}/api/events`, broken.id, () => {
    view = fetch(`${base}/api/snapshots/${broken.id}/view`);
  });
  expect((await view!).status).toBe(200);
  const stages = events.map((e) => e.stage);
  expect(stages.slice(0, 4)).toEqual(['reading', 'loading', 'validating', 'graph']);
  expect(stages.slice(-2)).toEqual(['drawing', 'ready']);
  const loading = events.find((e) => e.stage === 'loading');
  // The size announced before decompressing is the JSON's size, read from the gzip trailers.
  const validating = events.find((e) => e.stage === 'validating');
  expect(loading?.bytes).toBe(validating?.bytes);
  expect(loading?.bytes).toBeGreaterThan(1000);
  expect(events.find((e) => e.stage === 'graph')).toMatchObject({ hosts: 2, pods: 1 });
  const rules = events.filter((e) => e.stage === 'rules');
  const total = rules[0]?.total ?? 0;
  expect(total).toBeGreaterThan(20);
  expect(rules.map((e) => e.done)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));

  // Prepared once: the next question answers from the analysis, with no preparation announced.
  const again: PrepareEvent[] = [];
  const off = service.events.subscribe((e) => e.name === 'prepare' && again.push(e.data));
  expect((await fetch(`${base}/api/snapshots/${broken.id}/findings`)).status).toBe(200);
  off();
  expect(again).toEqual([]);
});

it('announces a preparation that fails, so no dashboard waits on it', async () => {
  const missing = 'Z'.repeat(22);
  let res: Promise<Response> | undefined;
  const events = await prepareEvents(`${base}/api/events`, missing, () => {
    res = fetch(`${base}/api/snapshots/${missing}/view`);
  });
  expect((await res!).status).toBe(404);
  expect(events.map((e) => e.stage)).toEqual(['reading', 'failed']);
});
