import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLocal } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix, type LabPlan } from '@hoplens/lab';
import type { CollectStatus, Snapshot, SourcesConfig } from '@hoplens/model';
import type { AgentApp } from '../src/agent/agentApp.ts';
import { buildAgentApp } from '../src/agent/agentApp.ts';
import { buildApp } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const prefix = newLabPrefix();
const TOKEN = 'sources-test-token-0123456789';
const TIMEOUT_MS = 600;

/**
 * Agents on loopback, each serving one host of the real seed lab: one answers, one is slower than
 * its timeout, one is a misconfigured endpoint answering garbage. The collection must give a
 * partial snapshot: the good host complete, the other two present with their failure named.
 */
describe.skipIf(!canBuildNetns())('collecting from agents and dumps', () => {
  let plan: LabPlan;
  const agents: AgentApp[] = [];
  let garbage: Server;
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-sources-'));
  let config: SourcesConfig;

  beforeAll(async () => {
    plan = await labUp({ scenario: 'seed', variant: 'broken', prefix });
    const [worker, podvm] = plan.hostMap.hosts;
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const good = await buildAgentApp({ token: TOKEN, collect: () => collectLocal({ hosts: [worker!] }) });
    const slow = await buildAgentApp({
      token: TOKEN,
      collect: async () => {
        await new Promise((r) => setTimeout(r, TIMEOUT_MS * 5));
        return collectLocal({ hosts: [podvm!] });
      },
    });
    agents.push(good, slow);
    const urls = [];
    for (const a of agents) urls.push(await a.listen({ host: '127.0.0.1', port: 0 }));
    garbage = createServer((_req, res) => res.end('<html>502 Bad Gateway</html>'));
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
    const garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
    config = {
      timeoutMs: TIMEOUT_MS,
      sources: [
        // Collecting the real lab takes its time on a busy machine: only the slow agent is timed out.
        { kind: 'agent', name: 'worker', url: urls[0]!, tokenFile, timeoutMs: 60_000 },
        { kind: 'agent', name: 'podvm', url: urls[1]!, tokenFile },
        { kind: 'agent', name: 'node-7', url: garbageUrl, tokenFile },
        { kind: 'agent', name: 'node-8', url: urls[0]!, tokenFile: join(dir, 'absent-token') },
        { kind: 'dump', path: join(dir, 'no-such-dump.json') },
      ],
    };
  });
  afterAll(async () => {
    for (const a of agents) await a.close();
    garbage?.close();
    rmSync(dir, { recursive: true, force: true });
    await labDown(prefix);
  });

  it('gives a partial snapshot: the good host complete, every failure a host with its reason', async () => {
    const store = new SqliteStore(':memory:');
    const app = await buildApp({ service: new SnapshotService(store, config) });
    const res = await app.inject({ method: 'POST', url: '/api/collect' });
    expect(res.statusCode, res.body).toBe(201);
    const snap = (await app.inject(`/api/snapshots/${res.json<{ id: string }>().id}`)).json<Snapshot>();
    const host = (name: string) => snap.hosts.find((h) => h.name === name)!;
    expect(snap.hosts.map((h) => h.name).sort()).toEqual(['dump', 'node-7', 'node-8', 'podvm', 'worker']);
    expect(host('worker').errors).toEqual([]);
    expect(
      host('worker')
        .namespaces.map((n) => n.name)
        .sort(),
    ).toEqual([`${prefix}pod`, `${prefix}worker`]);
    expect(host('worker').namespaces.every((n) => n.links.length > 0)).toBe(true);
    // What an agent collects travels whole: its listening sockets too.
    expect(host('worker').namespaces.every((n) => n.listening !== undefined)).toBe(true);
    expect(host('podvm').errors[0]!.message).toMatch(new RegExp(`agent podvm at .*: timed out after ${TIMEOUT_MS} ms`));
    expect(host('node-7').errors[0]!.message).toMatch(/agent node-7 at .*: answered something that is not JSON/);
    expect(host('node-8').errors[0]!.message).toMatch(/ENOENT|no such file/);
    expect(host('dump').errors[0]!.message).toMatch(/dump .*no-such-dump\.json: cannot read it: ENOENT/);
    const status = (await app.inject('/api/collect')).json<CollectStatus>();
    expect(status.running).toBe(false);
    expect(status.counts).toEqual({ total: 5, queued: 0, collecting: 0, done: 1, failed: 4 });
    expect(status.failures.map((s) => s.source)).toEqual([
      expect.stringMatching(/^agent podvm /),
      expect.stringMatching(/^agent node-7 /),
      expect.stringMatching(/^agent node-8 /),
      expect.stringMatching(/^dump .*no-such-dump\.json$/),
    ]);
    await app.close();
    await store.close();
  });

  it('takes a dump written by one run as a source of the next, and refuses a wrong token', async () => {
    const worker = plan.hostMap.hosts[0]!;
    const dump = join(dir, 'worker.dump.json');
    const answer = await fetch(`${(config.sources[0] as { url: string }).url}/v1/inventory`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    writeFileSync(dump, await answer.text());
    const wrong = await fetch(`${(config.sources[0] as { url: string }).url}/v1/inventory`, {
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    const store = new SqliteStore(':memory:');
    const service = new SnapshotService(store, { sources: [{ kind: 'dump', path: dump }] });
    const summary = await service.collect();
    expect(summary.hosts).toBe(1);
    expect((await service.snapshot(summary.id)).hosts[0]).toMatchObject({ name: worker.name, errors: [] });
    await store.close();
  });
});
