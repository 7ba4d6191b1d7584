import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { testApp, type TestApp } from '../testApp.ts';
import { rawHttp } from './rawHttp.ts';

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
  // A probe is a write: with no sources, an authorised one reaches the service's 409.
  {
    method: 'POST',
    url: `/api/snapshots/${ID}/probe`,
    write: true,
    ok: 409,
    body: { from: 'worker', to: '10.132.2.46' },
  },
  { method: 'GET', url: `/api/snapshots/${ID}/probes`, write: false, ok: 200 },
  { method: 'DELETE', url: `/api/snapshots/${ID}`, write: true, ok: 204 },
];

/**
 * The same requests spelled as the router reads them but a string test of the URL would not: the
 * access decision must be the one of the route matched (or of an unknown path), never of a prefix.
 */
const SPELLINGS: { name: string; url: (url: string) => string }[] = [
  { name: 'percent-encoded', url: (url) => url.replace('/api/', '/%61pi/') },
  { name: 'double slash', url: (url) => `/${url}` },
];

/** Stores the seed snapshot, so each case starts with it present (delete and read find it). */
const putFixed = (t: TestApp): Promise<boolean> =>
  t.store.put(
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
  let port: number;
  beforeAll(async () => {
    t = await testApp({ access: { loopbackOnly: false, token: TOKEN, authReads, writesPerMinute: 1_000_000 } });
    port = Number(new URL(await t.app.listen({ host: '127.0.0.1', port: 0 })).port);
  });
  afterAll(() => t.close());

  for (const route of ROUTES) {
    for (const [name, headers] of Object.entries(AUTH)) {
      const allowed = name === 'right' || (!route.write && !authReads);
      it(`${route.method} ${route.url.split('?')[0]} with ${name} token → ${allowed ? route.ok : 401}`, async () => {
        await putFixed(t);
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

  for (const route of ROUTES) {
    for (const spelling of SPELLINGS) {
      it(`${route.method} ${route.url.split('?')[0]} spelled ${spelling.name}, without a token → as the route`, async () => {
        await putFixed(t);
        const url = spelling.url(route.url);
        const res = await t.app.inject({
          method: route.method,
          url,
          headers: { host: 'hoplens.example:7080' },
          ...(route.body ? { payload: route.body } : {}),
        });
        const allowed = !route.write && !authReads;
        if (allowed) expect([route.ok, 404], url).toContain(res.statusCode);
        else {
          expect(res.statusCode, url).toBe(401);
          expect(res.json()).toMatchObject({ statusCode: 401, message: 'a valid bearer token is required' });
        }
      });
    }

    it(`${route.method} ${route.url.split('?')[0]} in absolute form (raw TCP), without a token → as the route`, async () => {
      await putFixed(t);
      const body = route.body ? JSON.stringify(route.body) : '';
      const head = [
        `${route.method} http://hoplens.example:7080${route.url} HTTP/1.1`,
        'Host: hoplens.example:7080',
        'Connection: close',
        ...(body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
      ];
      const res = await rawHttp(port, `${head.join('\r\n')}\r\n\r\n${body}`);
      expect(res.status, res.text.slice(0, 300)).toBe(!route.write && !authReads ? route.ok : 401);
    });
  }

  it('treats an unknown path as a read or a write of the API: a token where one is needed', async () => {
    const read = await t.app.inject({ url: '/api/nope', headers: { host: 'hoplens.example:7080' } });
    expect(read.statusCode).toBe(authReads ? 401 : 404);
    for (const url of ['/api/nope', '/%61pi/snapshots/x/y', '/elsewhere']) {
      const write = await t.app.inject({ method: 'POST', url, payload: {}, headers: { host: 'hoplens.example:7080' } });
      expect(write.statusCode, url).toBe(401);
    }
  });
});
