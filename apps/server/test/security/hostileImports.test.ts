import { afterEach, expect, it } from 'vitest';
import { minimalHost } from '@hoplens/collector/testing';
import { SNAPSHOT_FORMAT, SNAPSHOT_LIMITS, type DisclosedGraph } from '@hoplens/model';
import { generateCluster } from '@hoplens/lab';
import { buildApp } from '../../src/app.ts';
import { SnapshotService } from '../../src/services/snapshotService.ts';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { testApp, type TestApp } from '../testApp.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/**
 * Asks for /api/info again and again until `work` settles; returns how many answers (all 200)
 * arrived before it did. With the work on the API's thread, none could.
 */
async function infoAnsweredDuring(base: string, work: Promise<unknown>): Promise<number> {
  let settled = false;
  void work.finally(() => (settled = true));
  let before = 0;
  while (!settled) {
    const res = await fetch(`${base}/api/info`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    if (!settled) before++;
  }
  return before;
}

it('refuses a schema-valid import of 850,000 hosts with 413 naming the limit, answering /api/info meanwhile', async () => {
  t = await testApp();
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  // The smallest host the schema takes: 850,000 of them are 64 MB, under the 64 MiB body limit.
  const host = JSON.stringify({ ...minimalHost('n'), collectedAt: '' });
  const body = `{"format":${SNAPSHOT_FORMAT},"id":"huge00000000000000000000","createdAt":"2026-01-01T00:00:00.000Z","source":"x","pods":[],"hosts":[${Array.from({ length: 850_000 }, () => host).join(',')}]}`;
  expect(body.length).toBeGreaterThan(60e6);
  const imported = fetch(`${base}/api/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(await infoAnsweredDuring(base, imported)).toBeGreaterThan(0);
  const res = await imported;
  expect(res.status).toBe(413);
  expect(((await res.json()) as { message: string }).message).toBe(
    `snapshot too large: 850000 hosts, at most ${SNAPSHOT_LIMITS.hosts} (limit "hosts")`,
  );
  expect(await t.store.count()).toBe(0);
}, 60_000);

it('answers /api/info while a large snapshot is loaded and analysed for its first viewer', async () => {
  t = await testApp();
  const { snapshot } = generateCluster({ nodes: 400, podsPerNode: 10, peerPodShare: 0.3, faults: 2, seed: 11 });
  const res = await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: snapshot });
  expect(res.statusCode, res.body).toBe(201);
  // A server started again over the same store: nothing of the snapshot is analysed yet.
  const again = await buildApp({ service: new SnapshotService(t.store, undefined) });
  try {
    const base = await again.listen({ host: '127.0.0.1', port: 0 });
    const view = fetch(`${base}/api/snapshots/${snapshot.id}/view`).then(async (r) => {
      expect(r.status).toBe(200);
      return (await r.json()) as DisclosedGraph;
    });
    expect(await infoAnsweredDuring(base, view)).toBeGreaterThan(2);
    expect((await view).mode).toBe('overview');
  } finally {
    await again.close();
  }
}, 60_000);

it('refuses unknown fields, however deep or large, and a creation time in the future, storing nothing', async () => {
  t = await testApp();
  const deep = `${'{"deeper":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
  const valid = JSON.stringify(fixed);
  const cases: [string, string][] = [
    [valid.replace('"hosts":[', `"junk":${deep},"hosts":[`), '/junk is not a field of this format'],
    [valid.replace('"hosts":[', `"pad":"${'x'.repeat(30e6)}","hosts":[`), '/pad is not a field of this format'],
    [valid.replace(fixed.createdAt, '9999-12-31T23:59:59Z'), '/createdAt 9999-12-31T23:59:59Z is in the future'],
  ];
  for (const [payload, reason] of cases) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/snapshots',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ message: string }>().message).toContain(reason);
  }
  expect(await t.store.count()).toBe(0);
}, 60_000);

it('answers 503 when the analysis runs out of its heap, and the API lives on', async () => {
  t = await testApp();
  // A heap too small for any snapshot: the worker dies of it, alone.
  const service = new SnapshotService(t.store, undefined, { heapMb: 24, cacheBytes: 2 ** 20, youngMb: 3 });
  const app = await buildApp({ service });
  try {
    const { snapshot } = generateCluster({ nodes: 200, podsPerNode: 10, peerPodShare: 0.3, faults: 2, seed: 5 });
    const res = await app.inject({ method: 'POST', url: '/api/snapshots', payload: snapshot });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json<{ message: string }>().message).toMatch(/^the analysis failed: it ran out of memory \(24 MiB\)/);
    expect((await app.inject('/api/info')).statusCode).toBe(200);
    expect(await t.store.count()).toBe(0);
  } finally {
    await app.close();
  }
}, 60_000);
