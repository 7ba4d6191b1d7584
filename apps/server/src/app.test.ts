import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import type { TraceResult } from '@hoplens/model';
import { serviceCluster } from '@hoplens/model/testing/serviceCluster';
import { buildApp } from './app.ts';
import { SnapshotService } from './services/snapshotService.ts';
import { SqliteStore } from './store/sqliteStore.ts';

let dir: string;
let store: SqliteStore;
let app: FastifyInstance;
let service: SnapshotService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hoplens-test-'));
  store = new SqliteStore(join(dir, 'h.db'));
  service = new SnapshotService(store, undefined);
  app = await buildApp({ service });
});
afterEach(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown) => app.inject({ method: 'POST', url: '/api/snapshots', payload: body as object });

describe('snapshot API', () => {
  it('imports a snapshot and serves its findings, graph and pod trace', async () => {
    const created = await post(broken);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: broken.id, hosts: 2, pods: 1, findings: { fatal: 2, critical: 1 } });

    const findings = (await app.inject(`/api/snapshots/${broken.id}/findings`)).json<{ rule: string }[]>();
    expect(findings.map((f) => f.rule)).toEqual([
      'mac-mismatch-across-tunnel',
      'peerpod-intent-mismatch',
      'neighbor-mac-mismatch',
    ]);

    const graph = (await app.inject(`/api/snapshots/${broken.id}/graph`)).json<{ nodes: unknown[] }>();
    expect(graph.nodes.length).toBeGreaterThan(5);
    const focused = await app.inject(`/api/snapshots/${broken.id}/graph?focus=${encodeURIComponent('host:podvm')}`);
    expect(focused.statusCode).toBe(200);
    const view = focused.json<{ nodes: { id: string }[] }>();
    expect(view.nodes.some((n) => n.id === 'host:podvm')).toBe(true);
    expect(view.nodes.length).toBeLessThanOrEqual(graph.nodes.length);
    // Browsers get the rendered view gzipped, as kept; clients without gzip get the same JSON inflated.
    const zipped = await app.inject({
      url: `/api/snapshots/${broken.id}/graph?focus=${encodeURIComponent('host:podvm')}`,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(view);
    expect(await service.hostViewsReady(broken.id)).toBe(2);
    const unknown = await app.inject(`/api/snapshots/${broken.id}/graph?focus=host:nowhere`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ message: string }>().message).toMatch(/no element host:nowhere/);

    const res = await app.inject(`/api/snapshots/${broken.id}/trace?pod=${encodeURIComponent('worker/hl-seed-pod')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      verdict: 'dropped',
      from: { host: 'worker', netns: 'hl-seed-worker' },
      to: '10.132.2.46',
    });
  });

  it("forgets a deleted snapshot's focused graphs, also one asked while it was being deleted", async () => {
    expect((await post(broken)).statusCode).toBe(201);
    const url = `/api/snapshots/${broken.id}/graph?focus=${encodeURIComponent('host:podvm')}`;
    const first = await app.inject(url);
    expect(first.statusCode).toBe(200);
    // The same question again is answered from what this thread kept: the same bytes.
    expect((await app.inject(url)).rawPayload).toEqual(first.rawPayload);
    expect((await app.inject({ method: 'DELETE', url: `/api/snapshots/${broken.id}` })).statusCode).toBe(204);
    expect((await app.inject(url)).statusCode).toBe(404);

    // Another host's view asked while the snapshot is deleted: whatever it answers, it is not kept.
    expect((await post(broken)).statusCode).toBe(201);
    const other = `/api/snapshots/${broken.id}/graph?focus=${encodeURIComponent('host:worker')}`;
    const racing = app.inject(other);
    const deleted = app.inject({ method: 'DELETE', url: `/api/snapshots/${broken.id}` });
    expect([200, 404]).toContain((await racing).statusCode);
    expect((await deleted).statusCode).toBe(204);
    expect((await app.inject(other)).statusCode).toBe(404);
  });

  it('traces from HOST/NETNS to an IP, defaulting to the host root', async () => {
    await post(fixed);
    const a = await app.inject(`/api/snapshots/${fixed.id}/trace?from=worker&to=10.132.2.46`);
    expect(a.json()).toMatchObject({ verdict: 'delivered' });
    const b = await app.inject(`/api/snapshots/${fixed.id}/trace?from=podvm/hl-seed-podns&to=10.132.2.1`);
    expect(b.json()).toMatchObject({ verdict: 'delivered' });
  });

  it('traces a TCP connection to a Service, one branch per endpoint, and refuses a port without tcp or udp', async () => {
    const snap = serviceCluster().b.snapshot();
    expect((await post(snap)).statusCode).toBe(201);
    const res = await app.inject(`/api/snapshots/${snap.id}/trace?from=na/client&to=10.96.0.10&proto=tcp&port=80`);
    expect(res.statusCode).toBe(200);
    const body = res.json<TraceResult>();
    expect(body).toMatchObject({ proto: 'tcp', port: 80, verdict: 'delivered', summary: '3 of 3 branches delivered' });
    expect(body.branches?.map((b) => b.label)).toEqual(['10.244.2.5:80', '10.244.2.9:80', '10.244.2.13:80']);
    for (const [q, status] of [
      ['proto=sctp&port=80', 400],
      ['proto=tcp&port=0', 400],
      ['proto=tcp', 400],
      ['port=80', 400],
    ] as const) {
      const bad = await app.inject(`/api/snapshots/${snap.id}/trace?from=na/client&to=10.96.0.10&${q}`);
      expect(bad.statusCode, q).toBe(status);
    }
  });

  it('traces to a Service by name, as kube-proxy names it, and refuses one it does not know', async () => {
    const snap = serviceCluster().b.snapshot();
    expect((await post(snap)).statusCode).toBe(201);
    const res = await app.inject(
      `/api/snapshots/${snap.id}/trace?from=na/client&to=${encodeURIComponent('shop/web:p80')}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json<TraceResult>()).toMatchObject({
      service: 'shop/web:p80',
      to: '10.96.0.10',
      proto: 'tcp',
      port: 80,
      summary: '3 of 3 branches delivered',
    });
    const unknown = await app.inject(
      `/api/snapshots/${snap.id}/trace?from=na/client&to=${encodeURIComponent('shop/db:5432')}`,
    );
    expect(unknown.statusCode).toBe(400);
    // The Service without endpoints is known too: kube-proxy's filter rule rejecting it names it.
    expect(unknown.json<{ message: string }>().message).toMatch(
      /no single Service port shop\/db:5432.*known: shop\/empty:p81, shop\/web:p80\)/,
    );
  });

  it('lists snapshots newest first and keeps them across a restart', async () => {
    await post(broken);
    await post(fixed);
    await app.close();
    await store.close();
    store = new SqliteStore(join(dir, 'h.db'));
    app = await buildApp({ service: new SnapshotService(store, undefined) });
    const list = (await app.inject('/api/snapshots')).json<{ id: string }[]>();
    expect(list.map((s) => s.id)).toEqual([fixed.id, broken.id]);
  });

  it('treats re-importing the same snapshot as a no-op and refuses different contents under its id', async () => {
    expect((await post(broken)).statusCode).toBe(201);
    expect((await post(broken)).statusCode).toBe(201);
    const tampered = (await post({ ...broken, source: 'tampered' })).json();
    expect(tampered).toMatchObject({ statusCode: 409, message: expect.stringContaining('immutable') });
  });

  it('takes its own export back, with keys in any order, here and on another server, as the same content', async () => {
    expect((await post(broken)).statusCode).toBe(201);
    const exported = (await app.inject(`/api/snapshots/${broken.id}`)).json<Record<string, unknown>>();
    // What a browser or an editor may write back: the same values, keys in another order.
    const reordered = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reordered)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reordered(x)]),
            )
          : v;
    const back = await post(reordered(exported));
    expect(back.statusCode).toBe(201);
    expect(back.json()).toMatchObject({ id: broken.id });

    const otherStore = new SqliteStore(join(dir, 'other.db'));
    const other = await buildApp({ service: new SnapshotService(otherStore, undefined) });
    try {
      const there = await other.inject({
        method: 'POST',
        url: '/api/snapshots',
        payload: reordered(exported) as object,
      });
      expect(there.statusCode).toBe(201);
      expect((await other.inject(`/api/snapshots/${broken.id}`)).json()).toEqual(exported);
      expect((await other.inject(`/api/snapshots/${broken.id}/findings`)).json()).toEqual(
        (await app.inject(`/api/snapshots/${broken.id}/findings`)).json(),
      );
    } finally {
      await other.close();
      await otherStore.close();
    }
  });

  it.each([
    ['an unknown format', { ...fixed, format: 99 }, 422, 'unknown snapshot format 99'],
    ['a wrong type deep inside', { ...fixed, hosts: [{ ...fixed.hosts[0], kind: 'toaster' }] }, 422, '/hosts/0/kind'],
    ['not an object', [1, 2], 422, 'must be a JSON object'],
  ])('refuses %s with a clear 4xx', async (_what, body, status, text) => {
    const res = await post(body);
    expect(res.statusCode).toBe(status);
    expect(res.json<{ message: string }>().message).toContain(text);
    expect((await app.inject('/api/snapshots')).json()).toEqual([]);
  });

  it.each([
    ['/api/snapshots/short', 400, 'must match pattern'],
    ['/api/snapshots/AAAAAAAAAAAAAAAAAAAAAA', 404, 'no snapshot'],
    ['/api/nope', 404, 'no route'],
  ])('answers %s with %i', async (url, status, text) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(status);
    expect(res.json<{ message: string }>().message).toContain(text);
  });

  it('explains bad trace requests', async () => {
    await post(fixed);
    const cases: [string, string][] = [
      ['from=worker', 'trace needs'],
      ['from=worker&to=banana', 'not an IP address'],
      ['from=nohost&to=10.0.0.1', 'no namespace'],
      ['pod=worker/nobody', 'no pod worker/nobody'],
    ];
    for (const [q, text] of cases) {
      const res = await app.inject(`/api/snapshots/${fixed.id}/trace?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json<{ message: string }>().message, q).toContain(text);
    }
  });

  it('imports a dump as a new snapshot, and refuses a dump of an unknown format', async () => {
    const dump = { kind: 'hoplens-dump', format: 1, createdAt: 'then', hosts: fixed.hosts };
    const res = await post(dump);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ source: 'imported dump', hosts: 2, pods: 1 });
    expect(res.json<{ id: string }>().id).not.toBe(fixed.id);
    const future = await post({ ...dump, format: 9 });
    expect(future.statusCode).toBe(422);
    expect(future.json<{ message: string }>().message).toContain('unknown dump format 9');
  });

  it('says that collecting needs sources when none are configured', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/collect' });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ message: string }>().message).toContain('--hosts');
    expect((await app.inject('/api/collect')).json()).toEqual({
      running: false,
      counts: { total: 0, queued: 0, collecting: 0, done: 0, failed: 0 },
      hosts: 0,
      slowest: [],
      failures: [],
    });
  });
});
