import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { testApp, type TestApp } from '../testApp.ts';

const TOKEN = 'correct-horse-battery-staple-1';
const ID = fixed.id;

/** Every route, with a request that succeeds when authorised. */
const ROUTES: { method: 'GET' | 'POST' | 'DELETE'; url: string; write: boolean; ok: number; body?: object }[] = [
  { method: 'GET', url: '/api/info', write: false, ok: 200 },
  { method: 'GET', url: '/api/snapshots', write: false, ok: 200 },
  { method: 'GET', url: `/api/snapshots/${ID}`, write: false, ok: 200 },
  { method: 'GET', url: `/api/snapshots/${ID}/graph`, write: false, ok: 200 },
  { method: 'GET', url: `/api/snapshots/${ID}/findings`, write: false, ok: 200 },
  { method: 'GET', url: `/api/snapshots/${ID}/trace?from=worker&to=10.132.2.46`, write: false, ok: 200 },
  { method: 'GET', url: `/api/snapshots/${ID}/timeline`, write: false, ok: 200 },
  { method: 'POST', url: `/api/snapshots/${ID}/pin`, write: true, ok: 200 },
  { method: 'POST', url: '/api/snapshots', write: true, ok: 201, body: fixed },
  // No sources are configured: an authorised collect gets past access control to the service's 409.
  { method: 'POST', url: '/api/collect', write: true, ok: 409 },
  { method: 'DELETE', url: `/api/snapshots/${ID}`, write: true, ok: 204 },
];

const AUTH = {
  none: {},
  wrong: { authorization: 'Bearer not-the-token-at-all' },
  malformed: { authorization: TOKEN },
  right: { authorization: `Bearer ${TOKEN}` },
} as const;

describe.each([
  { authReads: true, label: 'token for reads and writes' },
  { authReads: false, label: 'token for writes only' },
])('auth matrix: $label', ({ authReads }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ access: { loopbackOnly: false, token: TOKEN, authReads } });
  });
  afterAll(() => t.close());

  for (const route of ROUTES) {
    for (const [name, headers] of Object.entries(AUTH)) {
      const allowed = name === 'right' || (!route.write && !authReads);
      it(`${route.method} ${route.url.split('?')[0]} with ${name} token → ${allowed ? route.ok : 401}`, async () => {
        // Each case starts from the snapshot present, so delete and read find it.
        await t.store.put(
          fixed as never,
          {
            id: ID,
            createdAt: fixed.createdAt,
            source: fixed.source,
            hosts: 2,
            pods: 1,
            findings: { info: 0, warning: 0, critical: 0, fatal: 0 },
          },
          [],
        );
        const res = await t.app.inject({
          method: route.method,
          url: route.url,
          headers: { ...headers, host: 'hoplens.example:7080' },
          ...(route.body ? { payload: route.body } : {}),
        });
        expect(res.statusCode).toBe(allowed ? route.ok : 401);
        if (!allowed) {
          expect(res.headers['www-authenticate']).toBe('Bearer realm="hoplens"');
          expect(res.json()).toMatchObject({ statusCode: 401, message: 'a valid bearer token is required' });
        }
      });
    }
  }
});
