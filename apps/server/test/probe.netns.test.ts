import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AgentApp } from '../src/agent/agentApp.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLocal, createSnapshot } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix, SEED_POD_IP, type LabPlan } from '@hoplens/lab';
import { ProbeResultSchema, validate, type HostMap, type ProbeResult, type SourcesConfig } from '@hoplens/model';
import { buildAgentApp } from '../src/agent/agentApp.ts';
import { buildApp } from '../src/app.ts';
import { ProbeService } from '../src/services/probeService.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { ProbeStore } from '../src/store/probeStore.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const TOKEN = 'agent-probe-token-0123456789';
/** The predicted hops the dashboard shows a lost echo's kernel drop at. */
const hopsWithDrops = (r: ProbeResult): string[] =>
  r.hops
    .filter((h) => h.drops.some((d) => d.lostEcho))
    .map((h) => `${r.predicted.hops[h.hop]!.host}/${r.predicted.hops[h.hop]!.interface ?? '-'}`);
const INSTANCES = '/sys/kernel/tracing/instances';
const ownInstances = (): string[] =>
  existsSync(INSTANCES) ? readdirSync(INSTANCES).filter((n) => n.includes(`-${process.pid}-`)) : [];

interface Server {
  app: FastifyInstance;
  snapshotId: string;
  close(): Promise<void>;
}

describe.skipIf(!canBuildNetns())(
  'probes through the server and its agents, on the real seed lab',
  { timeout: 120_000 },
  () => {
    const prefix = newLabPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-probe-srv-'));
    const tokenFile = join(dir, 'token');
    let plan: LabPlan;
    const agents: AgentApp[] = [];
    const servers: Server[] = [];

    beforeAll(async () => {
      plan = await labUp({ scenario: 'seed', variant: 'broken', prefix });
      writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    });
    afterAll(async () => {
      for (const s of servers) await s.close();
      for (const a of agents) await a.close();
      await labDown(prefix);
      rmSync(dir, { recursive: true, force: true });
    });

    /** A real server (SQLite, probe store) over a snapshot collected from the lab now. */
    async function server(sources: SourcesConfig | undefined): Promise<Server> {
      const path = join(dir, `${servers.length}.db`);
      const store = new SqliteStore(path);
      await store.migrate();
      const service = new SnapshotService(store, sources);
      const app = await buildApp({ service, probes: new ProbeService(service, new ProbeStore(store.sql), sources) });
      const { id } = await service.import(createSnapshot(await collectLocal(plan.hostMap), 'probe test'));
      const s = {
        app,
        snapshotId: id,
        close: async () => {
          await app.close();
          await store.close();
        },
      };
      servers.push(s);
      return s;
    }

    /** An agent on this machine serving some of the lab's hosts. */
    async function agent(hosts: string[], allowProbe: boolean): Promise<string> {
      const map: HostMap = { hosts: plan.hostMap.hosts.filter((h) => hosts.includes(h.name)) };
      const app = await buildAgentApp({
        token: TOKEN,
        collect: () => collectLocal(map),
        ...(allowProbe ? { probe: { map } } : {}),
      });
      agents.push(app);
      return app.listen({ host: '127.0.0.1', port: 0 });
    }

    const probe = (s: Server, body: object) =>
      s.app.inject({
        method: 'POST',
        url: `/api/snapshots/${s.snapshotId}/probe`,
        payload: body,
        headers: { host: 'localhost' },
      });

    it('runs on the local source, stores the result beside the snapshot and serves its pcap', async () => {
      const s = await server({ sources: [{ kind: 'local', hosts: plan.hostMap.hosts }] });
      const res = await probe(s, { from: 'worker', to: SEED_POD_IP, count: 2 });
      expect(res.statusCode).toBe(201);
      const r = validate(ProbeResultSchema, res.json(), 'probe result');
      expect(r.agreement).toMatchObject({ verdict: 'agree', dropSite: 'agree' });
      expect(r.kernelDrop).toMatchObject({
        reason: 'OTHERHOST',
        site: { netns: `${prefix}podns`, interface: 'vxlan0' },
      });
      expect(hopsWithDrops(r)).toEqual(['podvm/vxlan0']);
      const list = await s.app.inject(`/api/snapshots/${s.snapshotId}/probes`);
      expect(list.json()).toEqual([expect.objectContaining({ id: r.id, observed: 'dropped', agreement: 'agree' })]);
      expect((await s.app.inject(`/api/snapshots/${s.snapshotId}/probes/${r.id}`)).json()).toEqual(res.json());
      const pcap = await s.app.inject(`/api/snapshots/${s.snapshotId}/probes/${r.id}/pcap`);
      expect(pcap.headers['content-disposition']).toMatch(/attachment; filename="hoplens-probe-.*\.pcapng"/);
      const file = join(dir, 'probe.pcapng');
      writeFileSync(file, pcap.rawPayload);
      expect(
        execFileSync('tcpdump', ['-r', file, '-n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      ).toMatch(/ICMP echo request, id \d+, seq 2/);
      expect(ownInstances()).toEqual([]);
    });

    it('refuses a concurrent second probe with 409, and the first one completes', async () => {
      const s = await server({ sources: [{ kind: 'local', hosts: plan.hostMap.hosts }] });
      const first = probe(s, { from: 'worker', to: SEED_POD_IP, count: 3 });
      await new Promise((r) => setTimeout(r, 50));
      const second = await probe(s, { from: 'worker', to: SEED_POD_IP });
      expect(second.statusCode).toBe(409);
      expect(second.json<{ message: string }>().message).toMatch(/a probe is running/);
      expect((await first).statusCode).toBe(201);
    });

    it.each([
      [{ from: 'worker', to: SEED_POD_IP, count: 11 }, 400, /count/],
      [{ from: 'worker', to: SEED_POD_IP, size: 9000 }, 400, /size/],
      [{ from: 'worker/not-a-namespace', to: SEED_POD_IP }, 400, /no namespace not-a-namespace/],
      [{ from: 'worker', to: 'not-an-ip' }, 400, /not an IP address/],
    ])('refuses %j with %i', async (body, status, message) => {
      const s = servers[0] ?? (await server({ sources: [{ kind: 'local', hosts: plan.hostMap.hosts }] }));
      const res = await probe(s, body);
      expect(res.statusCode).toBe(status);
      expect(res.json<{ message: string }>().message).toMatch(message);
    });

    it('asks the agent of each host: the worker agent pings, the pod VM agent sees the kernel drop it', async () => {
      const worker = await agent(['worker'], true);
      const podvm = await agent(['podvm'], true);
      const s = await server({
        sources: [
          { kind: 'agent', name: 'worker', url: worker, tokenFile },
          { kind: 'agent', name: 'podvm', url: podvm, tokenFile },
        ],
      });
      const res = await probe(s, { from: 'worker', to: SEED_POD_IP, count: 2 });
      expect(res.statusCode).toBe(201);
      const r = validate(ProbeResultSchema, res.json(), 'probe result');
      expect(r.observed.ping.received).toBe(0);
      expect(r.kernelDrop).toMatchObject({ reason: 'OTHERHOST', site: { host: 'podvm', interface: 'vxlan0' } });
      expect(r.agreement).toMatchObject({ verdict: 'agree', dropSite: 'agree' });
      // Both agents trace this one kernel: each free is still shown once, where the kernel freed it.
      expect(hopsWithDrops(r)).toEqual(['podvm/vxlan0']);
      expect(new Set(r.observed.packets.map((p) => p.host))).toEqual(new Set(['worker', 'podvm']));
    });

    it('refuses while a host is not reachable: an agent without --allow-probe, a wrong token, an agent that is down', async () => {
      const worker = await agent(['worker'], true);
      const closed = await agent(['podvm'], false);
      const wrongToken = join(dir, 'wrong');
      writeFileSync(wrongToken, 'not-the-agent-token-at-all\n');
      for (const [source, message] of [
        [
          { kind: 'agent', name: 'podvm', url: closed, tokenFile },
          /answered 403: probes are off on this agent: start it with --allow-probe/,
        ],
        [{ kind: 'agent', name: 'podvm', url: closed, tokenFile: wrongToken }, /answered 401/],
        [{ kind: 'agent', name: 'podvm', url: 'http://127.0.0.1:9', tokenFile }, /not reachable now: podvm/],
      ] as const) {
        const s = await server({ sources: [{ kind: 'agent', name: 'worker', url: worker, tokenFile }, source] });
        const res = await probe(s, { from: 'worker', to: SEED_POD_IP });
        expect(res.statusCode).toBe(409);
        expect(res.json<{ message: string }>().message).toMatch(message);
      }
      // No source for the pod VM at all (a snapshot recorded elsewhere, as the demo's): said so.
      const s = await server({ sources: [{ kind: 'agent', name: 'worker', url: worker, tokenFile }] });
      const res = await probe(s, { from: 'worker', to: SEED_POD_IP });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ message: string }>().message).toMatch(
        /^not reachable now: podvm; no source of this server collects podvm: a snapshot is probed only where a source reaches its hosts/,
      );
    });

    it('an agent refuses bad probes itself: no token, off, outside its inventory, out of bounds, a second at once', async () => {
      const url = await agent(['worker'], true);
      const off = await agent(['worker'], false);
      const mark = { icmpId: 4242, pattern: '686c70' };
      const ok = { mark, watch: [{ host: 'worker', netns: `${prefix}worker`, interface: 'ens3' }], windowMs: 2000 };
      const post = (base: string, body: object, token = TOKEN) =>
        fetch(`${base}/v1/probe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
      expect((await post(url, ok, 'wrong-token-0123456789')).status).toBe(401);
      expect((await post(off, ok)).status).toBe(403);
      const outside = await post(url, { ...ok, watch: [{ host: 'worker', netns: 'elsewhere', interface: 'eth0' }] });
      expect(outside.status).toBe(400);
      expect(((await outside.json()) as { message: string }).message).toMatch(/no namespace elsewhere on host worker/);
      const send = {
        from: { host: 'worker', netns: `${prefix}worker` },
        to: SEED_POD_IP,
        count: 11,
        size: 56,
        df: false,
      };
      expect((await post(url, { ...ok, send })).status).toBe(400);
      const first = post(url, ok);
      await new Promise((r) => setTimeout(r, 200));
      const second = await post(url, ok);
      expect(second.status).toBe(409);
      const answer = await (await first).text();
      expect(answer.split('\n')[0]).toBe('{"armed":true}');
      expect(JSON.parse(answer.trim().split('\n').pop()!)).toHaveProperty('observation');
      expect(ownInstances()).toEqual([]);
    });
  },
);
