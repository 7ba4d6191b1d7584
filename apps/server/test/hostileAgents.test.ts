import { afterEach, expect, it } from 'vitest';
import { dumpAgent, fakeAgent, minimalHost, type FakeAgent } from '@hoplens/collector/testing';
import type { Snapshot } from '@hoplens/model';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const agents: FakeAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

it('stores a partial snapshot when one agent answers an unknown field nested 5,000 deep', async () => {
  const good = await dumpAgent([minimalHost('node-1')]);
  const deep = `${'{"deeper":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
  const junk = await fakeAgent((_req, res) => {
    const dump = {
      kind: 'hoplens-dump',
      format: 1,
      createdAt: new Date().toISOString(),
      hosts: [minimalHost('node-2')],
    };
    res.end(JSON.stringify(dump).replace('"errors":[]', `"errors":[],"junk":${deep}`));
  });
  agents.push(good, junk);
  const store = new SqliteStore(':memory:');
  const app = await buildApp({
    service: new SnapshotService(store, {
      sources: [
        { kind: 'agent', name: 'node-1', url: good.url },
        { kind: 'agent', name: 'node-2', url: junk.url },
      ],
    }),
  });
  try {
    const res = await app.inject({ method: 'POST', url: '/api/collect' });
    expect(res.statusCode, res.body).toBe(201);
    const snap = (await app.inject(`/api/snapshots/${res.json<{ id: string }>().id}`)).json<Snapshot>();
    expect(snap.hosts.map((h) => [h.name, h.errors.length])).toEqual([
      ['node-1', 0],
      ['node-2', 1],
    ]);
    expect(snap.hosts[1]!.errors[0]!.message).toMatch(/\/hosts\/0\/junk is not a field of this format/);
  } finally {
    await app.close();
    await store.close();
  }
});
