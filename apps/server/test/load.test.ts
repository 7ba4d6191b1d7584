import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { startServer } from '../src/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-load-'));
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, db: join(dir, 'h.db'), sources: undefined });
  await fetch(`${server.url}/api/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fixed),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Loopback only, bounded in count (3,000 requests) and time (20 s at most); a correctness check, not a benchmark. */
it('answers 3,000 graph, findings and trace requests from 10 connections with zero errors', async () => {
  const base = `/api/snapshots/${fixed.id}`;
  const result = await autocannon({
    url: server.url,
    connections: 10,
    amount: 3000,
    duration: 20,
    requests: [
      { path: `${base}/graph` },
      { path: `${base}/findings` },
      { path: `${base}/trace?from=worker&to=10.132.2.46` },
      { path: '/api/snapshots' },
    ],
  });
  expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
    errors: 0,
    timeouts: 0,
    non2xx: 0,
  });
  expect(result.requests.total).toBeGreaterThanOrEqual(3000);
});
