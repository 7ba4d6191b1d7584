import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFleet, type Fleet } from '@hoplens/lab';
import { SnapshotSummarySchema, validate } from '@hoplens/model';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const TOKEN = 'collect-answer-token-0123456789';

describe('POST /api/collect on a collection that outlasts the idle timeout', () => {
  let fleet: Fleet;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoplens-collect-answer-'));
    // Two agents, one of them answering only after 1.5 s: the server's idle timeout is 300 ms.
    fleet = await serveFleet({ agents: 2, podsPerNode: 2, port: 0, token: TOKEN, slow: 1, slowMs: 1500 });
  });
  afterAll(async () => {
    await fleet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the connection and answers 201 with the snapshot once every agent has answered', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const store = new SqliteStore(':memory:');
    const service = new SnapshotService(store, fleet.sources(tokenFile, { timeoutMs: 10_000 }));
    const app = await buildApp({ service, limits: { idleTimeoutMs: 300 } });
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const t = performance.now();
      const res = await fetch(`${url}/api/collect`, { method: 'POST' });
      expect(performance.now() - t).toBeGreaterThan(1000);
      expect(res.status).toBe(201);
      const summary = validate(SnapshotSummarySchema, await res.json(), 'summary');
      expect(summary.hosts).toBe(2);
      expect((await service.collectStatus()).counts).toMatchObject({ total: 2, done: 2, failed: 0 });
    } finally {
      await app.close();
      service.close();
      await store.close();
    }
  });
});
