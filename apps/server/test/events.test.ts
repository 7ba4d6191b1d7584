import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotSummarySchema, validate, type SnapshotSummary } from '@hoplens/model';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(import.meta.resolve(`@hoplens/model/fixtures/${name}`)), 'utf8'));

/** Reads server-sent events from a real connection until `count` snapshot events have come. */
async function snapshotEvents(url: string, count: number, ready: () => Promise<void>): Promise<SnapshotSummary[]> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const out: SnapshotSummary[] = [];
  let buffer = '';
  let started = false;
  while (out.length < count) {
    const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    if (!started) {
      started = true;
      await ready();
    }
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.startsWith('event: snapshot\n')) continue;
      out.push(validate(SnapshotSummarySchema, JSON.parse(block.slice(block.indexOf('data: ') + 6)), 'event'));
    }
  }
  await reader.cancel();
  return out;
}

describe('GET /api/events', () => {
  let app: FastifyInstance;
  let store: SqliteStore;
  let base: string;
  beforeAll(async () => {
    store = new SqliteStore(':memory:');
    app = await buildApp({ service: new SnapshotService(store, undefined) });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('tells every open stream of each snapshot stored, as it is stored', async () => {
    const post = async (body: unknown) =>
      fetch(`${base}/api/snapshots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const [a, b] = await Promise.all([
      snapshotEvents(`${base}/api/events`, 2, () => Promise.resolve()),
      snapshotEvents(`${base}/api/events`, 2, async () => {
        // Both streams are open by now (each waits for its first bytes before this runs once).
        await new Promise((r) => setTimeout(r, 50));
        expect((await post(fixture('seed-broken.snapshot.json'))).status).toBe(201);
        expect((await post(fixture('seed-fixed.snapshot.json'))).status).toBe(201);
      }),
    ]);
    expect(a.map((s) => s.source)).toEqual(['seed demo (broken)', 'seed demo (fixed)']);
    expect(b).toEqual(a);
  });

  it('lets the server close while streams are open', async () => {
    const extra = await buildApp({ service: new SnapshotService(new SqliteStore(':memory:'), undefined) });
    const url = await extra.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${url}/api/events`);
    const reader = res.body!.getReader();
    await reader.read();
    await extra.close();
    expect((await reader.read()).done).toBe(true);
  });
});
