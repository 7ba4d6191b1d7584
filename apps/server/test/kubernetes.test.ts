import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { apiEndpointSlice, apiNode, apiPod, apiService, fakeApiServer } from '@hoplens/collector/testing';
import { buildAgentApp } from '../src/agent/agentApp.ts';
import { seedFixed, SEED } from '@hoplens/model/testing';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-k8s-'));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a collection that asks Kubernetes for pod names and Services', () => {
  const dump = join(dir, 'seed.dump.json');
  writeFileSync(dump, JSON.stringify({ kind: 'hoplens-dump', format: 1, createdAt: 'then', hosts: seedFixed().hosts }));

  it('names the pods Kubernetes knows, joined by IP, with their node', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    const pods = [apiPod('nginx-7d', 'shop', [SEED.podIp], 'worker')];
    const services = [apiService('web', 'shop', '10.96.0.10', [{ name: 'http', protocol: 'TCP', port: 80 }])];
    const endpointSlices = [
      apiEndpointSlice('web', 'shop', [{ name: 'http', protocol: 'TCP', port: 80 }], [SEED.podIp]),
    ];
    servers.push(
      (await fakeApiServer(pods, { token: 'k8s-token-abcdef', kubeconfig, services, endpointSlices })).server,
    );
    const store = new SqliteStore(':memory:');
    const service = new SnapshotService(store, { sources: [{ kind: 'dump', path: dump }], kubernetes: { kubeconfig } });
    const summary = await service.collect();
    expect((await service.snapshot(summary.id)).pods).toEqual([
      expect.objectContaining({ name: 'nginx-7d', namespace: 'shop', node: 'worker', inferred: false }),
    ]);
    expect((await service.collectStatus()).counts).toMatchObject({ total: 2, done: 2, failed: 0 });
    // Its Services and EndpointSlices too, kept with the snapshot: `shop/web:http` resolves through them.
    const kept = (await service.snapshot(summary.id)).kubernetes;
    expect(kept?.services.map((x) => [x.namespace, x.name, x.clusterIps])).toEqual([['shop', 'web', ['10.96.0.10']]]);
    expect(kept?.endpointSlices[0]?.endpoints).toEqual([{ addresses: [SEED.podIp], ready: true }]);
    await store.close();
  });

  it('infers the pods, and says why, when the API cannot be asked', async () => {
    const store = new SqliteStore(':memory:');
    const service = new SnapshotService(store, {
      sources: [{ kind: 'dump', path: dump }],
      kubernetes: { kubeconfig: join(dir, 'no-such-kubeconfig') },
    });
    const summary = await service.collect();
    expect((await service.snapshot(summary.id)).pods.every((p) => p.inferred)).toBe(true);
    const k8s = (await service.collectStatus()).failures[0]!;
    expect(k8s).toMatchObject({ source: 'Kubernetes API (pod names)', state: 'failed' });
    expect(k8s.message).toMatch(/no-such-kubeconfig.*pods are inferred/);
    await store.close();
  });
});

describe('agents on every node, found through the Kubernetes API', () => {
  it('asks each node’s agent at its InternalIP, and names a node whose agent does not answer', async () => {
    const token = 'node-agent-token-0123456789';
    const tokenFile = join(dir, 'agent-token');
    writeFileSync(tokenFile, token);
    const host = { ...seedFixed().hosts[0]!, name: 'node-1' };
    const agent = await buildAgentApp({ token, collect: () => Promise.resolve([host]) });
    await agent.listen({ host: '127.0.0.1', port: 0 });
    const port = (agent.server.address() as AddressInfo).port;
    const kubeconfig = join(dir, 'nodes.kubeconfig');
    // node-2's address is on loopback too, where no agent listens: its connection is refused.
    const nodes = [apiNode('node-1', '127.0.0.1'), apiNode('node-2', '127.0.0.2')];
    servers.push((await fakeApiServer([], { token: 'k8s-token-abcdef', kubeconfig, nodes })).server);
    const store = new SqliteStore(':memory:');
    const service = new SnapshotService(store, { sources: [{ kind: 'node-agents', port, tokenFile, kubeconfig }] });
    const snap = await service.snapshot((await service.collect()).id);
    expect(snap.hosts.map((h) => h.name).sort()).toEqual(['node-1', 'node-2']);
    expect(snap.hosts.find((h) => h.name === 'node-1')!.errors).toEqual([]);
    expect(snap.hosts.find((h) => h.name === 'node-2')!.errors[0]!.message).toMatch(
      new RegExp(`agent node-2 at http://127\\.0\\.0\\.2:${port}: .*ECONNREFUSED`),
    );
    await agent.close();
    await store.close();
  });
});
