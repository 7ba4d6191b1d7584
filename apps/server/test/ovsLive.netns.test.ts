import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askSourcesOvs, collectLocal } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix, type LabPlan } from '@hoplens/lab';
import type { TraceResult } from '@hoplens/model';
import type { FastifyInstance } from 'fastify';
import { buildAgentApp, type AgentApp } from '../src/agent/agentApp.ts';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const prefix = newLabPrefix();
const TOKEN = 'ovs-live-test-token-0123456789';

/**
 * The OVN-K seed lab's worker behind a real agent: a server that collected it through the agent
 * asks the agent live what the worker's Open vSwitch does with a packet the snapshot recorded no
 * answer for (the pod VM's frames, sent with its wrong MAC), and gets the switch's own verdict.
 */
describe.skipIf(!canBuildNetns())('asking a node’s switch live through its agent', () => {
  let plan: LabPlan;
  let agent: AgentApp;
  let app: FastifyInstance;
  let store: SqliteStore;
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-ovs-live-'));

  beforeAll(async () => {
    plan = await labUp({ scenario: 'ovn-seed', variant: 'broken', prefix });
    // One agent for both hosts: the lab's underlay is a veth, which only one collection can join up.
    const local = { sources: [{ kind: 'local' as const, hosts: plan.hostMap.hosts }] };
    agent = await buildAgentApp({
      token: TOKEN,
      collect: () => collectLocal(plan.hostMap),
      askOvs: ({ host, ...q }) => askSourcesOvs(local, { host: host ?? 'worker', ...q }),
    });
    const url = await agent.listen({ host: '127.0.0.1', port: 0 });
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    store = new SqliteStore(':memory:');
    const sources = [{ kind: 'agent' as const, name: 'worker', url, tokenFile }];
    app = await buildApp({ service: new SnapshotService(store, { sources }) });
  });
  afterAll(async () => {
    await app?.close();
    await agent?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    await labDown(prefix);
  });

  it('traces the peer pod’s packet to its node through br-int with the answer the agent got from the switch', async () => {
    const collected = await app.inject({ method: 'POST', url: '/api/collect' });
    expect(collected.statusCode, collected.body).toBe(201);
    const id = collected.json<{ id: string }>().id;
    const res = await app.inject(`/api/snapshots/${id}/trace?pod=default/seed&to=10.132.2.2`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<TraceResult>();
    expect(r.verdict).toBe('dropped');
    const drop = r.hops.find((h) => h.action === 'dropped');
    expect(drop).toMatchObject({ host: 'worker', component: 'ovs', interface: 'br-int' });
    expect(drop?.openflow).toMatchObject({ answer: 'live', datapathActions: 'drop' });
    expect(drop?.reason).toContain('table 0 priority 0 cookie 0x5ec0dead');
    // From the node, the snapshot's own answer carries the request through br-int (to die at the pod VM).
    const fromNode = (await app.inject(`/api/snapshots/${id}/trace?pod=default/seed`)).json<TraceResult>();
    expect(fromNode.hops.flatMap((h) => (h.openflow ? [h.openflow.answer] : []))).toEqual(['recorded']);
    expect(fromNode.hops.at(-1)).toMatchObject({ host: 'podvm', interface: 'vxlan0', verdict: 'dropped' });
  });
});
