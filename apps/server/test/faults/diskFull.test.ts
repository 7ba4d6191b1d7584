import { randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { testApp, type TestApp } from '../testApp.ts';

let t: TestApp | undefined;
afterEach(() => t?.close());

it('answers a full disk with 507 and a clear message, keeping what was stored before', async () => {
  // SQLite's page cap makes the database file "full" exactly as a full disk does (SQLITE_FULL).
  t = await testApp({ maxPages: 16 });
  expect((await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: broken })).statusCode).toBe(201);
  // Random text does not compress: this one cannot fit in what is left.
  const big = structuredClone(fixed);
  big.hosts[0]!.namespaces[0]!.raw[0]!.output = randomBytes(200_000).toString('base64');
  const res = await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: big });
  expect(res.statusCode).toBe(507);
  expect(res.json<{ message: string }>().message).toContain('disk is full');
  expect((await t.store.list()).map((s) => s.id)).toEqual([broken.id]);
  expect(t.store.integrityCheck()).toBe('ok');
});
