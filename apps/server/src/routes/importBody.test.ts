import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { buildApp } from '../app.ts';
import { SnapshotService } from '../services/snapshotService.ts';
import { SqliteStore } from '../store/sqliteStore.ts';

const MiB = 2 ** 20;
/** The limit these tests run with: small, so a bomb's cost is measurable against it. */
const LIMIT = 64 * MiB;

let dir: string;
let store: SqliteStore;
let app: FastifyInstance;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoplens-import-'));
  store = new SqliteStore(join(dir, 'h.db'));
  app = await buildApp({ service: new SnapshotService(store, undefined), importLimit: LIMIT });
});
afterEach(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const gzipped = (body: Buffer) =>
  app.inject({
    method: 'POST',
    url: '/api/snapshots',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: body,
  });

/** 1 GiB of zeros, gzipped: 1,024 gzip members of 1 MiB each (one stream to any gunzip, ~1 MB sent). */
const bomb = (): Buffer => {
  const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Buffer.concat(Array.from({ length: 1024 }, () => member));
};

describe('snapshot import bodies', () => {
  it('imports a gzip-compressed snapshot and exports it back as the same snapshot', async () => {
    const res = await gzipped(gzipSync(JSON.stringify(broken)));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: broken.id, hosts: 2, pods: 1 });
    const exported = await app.inject(`/api/snapshots/${broken.id}`);
    expect(exported.json()).toEqual(broken);
    // Sent back gzipped (application/gzip, as curl --data-binary @x.json.gz sends it), it is the same snapshot.
    const again = await app.inject({
      method: 'POST',
      url: '/api/snapshots',
      headers: { 'content-type': 'application/gzip' },
      payload: gzipSync(exported.rawPayload),
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id: broken.id });
  });

  it('refuses 1 GiB of gzipped zeros with 413 while it streams, holding at most the limit in memory', async () => {
    const body = bomb();
    expect(body.byteLength).toBeLessThan(2 * MiB);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    const res = await gzipped(body);
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(res.statusCode).toBe(413);
    expect(res.json<{ message: string }>().message).toContain(`more than ${LIMIT} bytes of JSON once decompressed`);
    // The documented bound (README, Security): the limit, plus zlib's and the heap's working space.
    expect(peak - before).toBeLessThan(LIMIT + 64 * MiB);
  });

  it('refuses a plain body past the limit with 413 before reading it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/snapshots',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.alloc(LIMIT + 1, 0x20),
    });
    expect(res.statusCode).toBe(413);
  });

  it('answers a truncated gzip body with 400 saying the gzip is truncated', async () => {
    const whole = gzipSync(JSON.stringify(broken));
    const res = await gzipped(whole.subarray(0, Math.floor(whole.byteLength / 2)));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(
      /^the gzip body is truncated or corrupt: unexpected end of file/,
    );
  });

  it('answers gzip that is not gzip with 400, and an encoding it does not speak with 415', async () => {
    const notGzip = await gzipped(Buffer.from(JSON.stringify(broken)));
    expect(notGzip.statusCode).toBe(400);
    expect(notGzip.json<{ message: string }>().message).toMatch(/^the gzip body is truncated or corrupt/);
    const br = await app.inject({
      method: 'POST',
      url: '/api/snapshots',
      headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
      payload: Buffer.from('{}'),
    });
    expect(br.statusCode).toBe(415);
    expect(br.json<{ message: string }>().message).toContain('unsupported Content-Encoding "br"');
  });

  it('still imports plain JSON, and says when it is not JSON', async () => {
    const ok = await app.inject({ method: 'POST', url: '/api/snapshots', payload: broken });
    expect(ok.statusCode).toBe(201);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/snapshots',
      headers: { 'content-type': 'application/json' },
      payload: '{"kind":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toMatch(/^body is not valid JSON/);
  });

  it('keeps the connection of an import whose analysis outlasts the idle timeout', async () => {
    class SlowService extends SnapshotService {
      override async import(body: unknown) {
        await new Promise((r) => setTimeout(r, 800));
        return super.import(body);
      }
    }
    const slowStore = new SqliteStore(':memory:');
    const slow = await buildApp({ service: new SlowService(slowStore, undefined), limits: { idleTimeoutMs: 200 } });
    try {
      const url = await slow.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${url}/api/snapshots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify(broken)),
      });
      expect(res.status).toBe(201);
    } finally {
      await slow.close();
      await slowStore.close();
    }
  });
});
