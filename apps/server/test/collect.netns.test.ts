import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, newLabPrefix, type LabPlan } from '@hoplens/lab';
import { canBuildNetns } from '@hoplens/collector/testing';
import { localSources } from '@hoplens/model';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const prefix = newLabPrefix();

describe.skipIf(!canBuildNetns())('POST /api/collect on the real seed lab', () => {
  let plan: LabPlan;
  beforeAll(async () => {
    plan = await labUp({ scenario: 'seed', variant: 'broken', prefix });
  });
  afterAll(async () => {
    await labDown(prefix);
  });

  it('collects in a child process and stores a snapshot with the fatal finding', async () => {
    const store = new SqliteStore(':memory:');
    const app = await buildApp({ service: new SnapshotService(store, localSources(plan.hostMap)) });
    const [a, b] = await Promise.all([
      app.inject({ method: 'POST', url: '/api/collect' }),
      app.inject({ method: 'POST', url: '/api/collect' }),
    ]);
    expect(a.statusCode, a.body).toBe(201);
    // Concurrent requests share one collection run.
    expect(b.json<{ id: string }>().id).toBe(a.json<{ id: string }>().id);
    // The seed's MAC fault, across the tunnel and against the pod VM's apf.json.
    expect(a.json()).toMatchObject({ hosts: 2, pods: 1, findings: { fatal: 2 } });
    await app.close();
    await store.close();
  });
});
