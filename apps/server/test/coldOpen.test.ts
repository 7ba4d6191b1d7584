import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
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

/** A new server on the database (a restart) whose analysis code is `version`. */
async function restart(version: string, first = false): Promise<void> {
  if (!first) {
    await app.close();
    service.close();
  }
  service = new SnapshotService(store, undefined, undefined, { analysisVersion: version });
  app = await buildApp({ service });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}

const viewUrl = (): string => `${base}/api/snapshots/${broken.id}/view`;
const gunzipText = (b: Uint8Array | undefined): string | undefined => b && gunzipSync(b).toString('utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoplens-cold-'));
  const db = join(dir, 'h.db');
  // Imported by one server, then opened by a new one on the same database: a restart.
  const before = new SqliteStore(db);
  const first = new SnapshotService(before, undefined, undefined, { analysisVersion: 'code-1' });
  await first.import(Buffer.from(JSON.stringify(broken)));
  first.close();
  await before.close();
  store = new SqliteStore(db);
  // Other code than the import's: what it persisted is not served, the first view analyses.
  await restart('code-2', true);
});
afterAll(async () => {
  await app.close();
  service.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('after a restart on other analysis code, the first view of a snapshot streams each step of preparing it, in order, to ready', async () => {
  let view: Promise<Response> | undefined;
  const events = await prepareEvents(`${base}/api/events`, broken.id, () => {
    view = fetch(viewUrl());
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

it('persists the first view and findings an import computed, and serves them on a cold open by the same code', async () => {
  // The import persisted them for code-1, and code-2's first view and findings replaced them.
  const view = await store.getDerived(broken.id, 'code-2', 'view');
  expect(JSON.parse(gunzipText(view)!)).toMatchObject({ mode: 'full', total: { nodes: 13 } });
  expect(await store.getDerived(broken.id, 'code-1', 'view')).toBeUndefined();
  // A persisted answer no analysis gives: a restart on code-2 can only answer it from the store.
  await store.putDerived(broken.id, 'code-2', { view: gzipSync('{"persisted":true}') });
  await restart('code-2');
  let res: Promise<Response> | undefined;
  const events = await prepareEvents(`${base}/api/events`, broken.id, () => {
    res = fetch(viewUrl());
  });
  expect((await res!).status).toBe(200);
  expect(await (await res!).json()).toEqual({ persisted: true });
  // Meanwhile the snapshot was analysed in the background, for what the user asks next.
  expect(events.map((e) => e.stage).slice(0, 2)).toEqual(['reading', 'loading']);
  expect(events.at(-1)?.stage).toBe('ready');
  // Any other view is the analysis's own.
  const expanded = (await (await fetch(`${viewUrl()}?expand=g1`)).json()) as Record<string, unknown>;
  expect(expanded).not.toHaveProperty('persisted');
  expect(expanded).toMatchObject({ mode: 'full' });
});

it('recomputes on a cold open by changed analysis code, and persists the new answer for it', async () => {
  await store.putDerived(broken.id, 'code-2', { view: gzipSync('{"persisted":true}') });
  await restart('code-3');
  const res = await fetch(viewUrl());
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).not.toHaveProperty('persisted');
  expect(body).toMatchObject({ mode: 'full', total: { nodes: 13 } });
  expect(JSON.parse(gunzipText(await store.getDerived(broken.id, 'code-3', 'view'))!)).toEqual(body);
  expect(await store.getDerived(broken.id, 'code-2', 'view')).toBeUndefined();
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
