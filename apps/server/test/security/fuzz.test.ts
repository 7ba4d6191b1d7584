import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot } from '@hoplens/model';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { mulberry32 } from '@hoplens/model/testing/random';
import { testApp, type TestApp } from '../testApp.ts';

const NASTY: unknown[] = [
  null,
  true,
  -1,
  1e308,
  '',
  'x'.repeat(5000),
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u0000',
  [],
  {},
  { $gt: '' },
  'NaN',
];

/** Replaces one value somewhere in a JSON tree with something nasty, or deletes a key. */
function mutate(value: unknown, rand: () => number): unknown {
  const clone: unknown = JSON.parse(JSON.stringify(value));
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(clone, []);
  const path = paths[Math.floor(rand() * paths.length)] ?? [];
  if (path.length === 0) return NASTY[Math.floor(rand() * NASTY.length)];
  let parent = clone as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (rand() < 0.2 && !Array.isArray(parent)) delete parent[last];
  else parent[last] = NASTY[Math.floor(rand() * NASTY.length)];
  return clone;
}

describe('API fuzz: zero 5xx, zero stored garbage', () => {
  let t: TestApp;
  const statuses = new Map<number, number>();
  const count = (s: number): void => void statuses.set(s, (statuses.get(s) ?? 0) + 1);
  beforeAll(async () => {
    // The write rate limit is tested on its own; here it would only turn cases into 429s.
    t = await testApp({ bodyLimit: 2 * 1024 * 1024, access: { loopbackOnly: true, writesPerMinute: 1_000_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('imports 300 mutated snapshots: each is refused with 4xx or stored whole and valid', async () => {
    const rand = mulberry32(20261124);
    for (let i = 0; i < 300; i++) {
      const body = mutate({ ...fixed, id: `fuzz${String(i).padStart(18, '0')}` }, rand);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/snapshots',
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      count(res.statusCode);
      expect(res.statusCode, JSON.stringify(res.json())).toBeLessThan(500);
    }
    // Whatever was stored reads back as a valid snapshot, and its analysis is served.
    for (const s of await t.store.list()) {
      const stored = await t.store.get(s.id);
      expect(() => readSnapshot(stored)).not.toThrow();
      expect((await t.app.inject(`/api/snapshots/${s.id}/graph`)).statusCode).toBe(200);
    }
    expect(statuses.get(422)).toBeGreaterThan(100);
  });

  it('answers malformed JSON, wrong content types, huge bodies and odd paths with 4xx', async () => {
    const cases: {
      method: 'GET' | 'POST' | 'DELETE';
      url: string;
      payload?: string | Buffer;
      headers?: Record<string, string>;
    }[] = [
      {
        method: 'POST',
        url: '/api/snapshots',
        payload: '{"format":1,',
        headers: { 'content-type': 'application/json' },
      },
      { method: 'POST', url: '/api/snapshots', payload: '[]]]', headers: { 'content-type': 'application/json' } },
      {
        method: 'POST',
        url: '/api/snapshots',
        payload: 'format=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { method: 'POST', url: '/api/snapshots', payload: '<x/>', headers: { 'content-type': 'text/xml' } },
      {
        method: 'POST',
        url: '/api/snapshots',
        payload: `{"format":1,"pad":"${'a'.repeat(3 * 1024 * 1024)}"}`,
        headers: { 'content-type': 'application/json' },
      },
      { method: 'GET', url: '/api/snapshots/..%2F..%2Fetc%2Fpasswd' },
      { method: 'GET', url: '/api/snapshots/%00%00%00%00%00%00%00%00%00%00%00%00/graph' },
      { method: 'GET', url: `/api/snapshots/${'A'.repeat(5000)}` },
      { method: 'GET', url: `/api/snapshots/${fixed.id}/trace?from=${'w'.repeat(5000)}&to=1.1.1.1` },
      { method: 'GET', url: `/api/snapshots/${fixed.id}/trace?from=worker&to=<script>` },
      { method: 'GET', url: `/api/snapshots/${fixed.id}/trace?pod=../../x&to=node` },
      { method: 'DELETE', url: '/api/snapshots/../../../../etc' },
      { method: 'GET', url: '/../../../../etc/passwd' },
      { method: 'GET', url: '/s/../../package.json' },
    ];
    await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: fixed });
    for (const c of cases) {
      const res = await t.app.inject(c);
      expect(res.statusCode, `${c.method} ${c.url.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${c.method} ${c.url.slice(0, 60)}`).toBeLessThan(500);
      expect(res.body).not.toContain('root:x:0:0');
    }
  });

  it('stores names with script tags as data and serves them as JSON, never as HTML', async () => {
    const evil = JSON.parse(JSON.stringify(fixed)) as typeof fixed;
    evil.id = 'scripttagsinnames00000';
    evil.hosts[0]!.namespaces[1]!.links[1]!.name = '<img src=x onerror=alert(1)>';
    const res = await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: evil });
    expect(res.statusCode).toBe(201);
    const graph = await t.app.inject(`/api/snapshots/${evil.id}/graph`);
    expect(graph.headers['content-type']).toContain('application/json');
    expect(graph.body).toContain('<img src=x onerror=alert(1)>');
  });
});
