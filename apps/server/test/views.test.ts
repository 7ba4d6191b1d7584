import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import kubeService from '@hoplens/model/fixtures/kube-service-endpoint-dropped.snapshot.json' with { type: 'json' };
import {
  DisclosedGraphSchema,
  MAX_EXPANDED,
  nodeParent,
  PodPageSchema,
  SearchResultSchema,
  ServicePageSchema,
  TraceResultSchema,
  SnapshotDiffSchema,
  validate,
  type DisclosedGraph,
} from '@hoplens/model';
import { generateCluster } from '@hoplens/lab';
import { testApp, type TestApp } from './testApp.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

const get = async (url: string) => t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
const json = async (url: string): Promise<unknown> => (await t.app.inject(url)).json();
const importSnapshot = async (body: unknown) =>
  expect((await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: body as object })).statusCode).toBe(201);

describe('views of a snapshot', () => {
  it('sends a small snapshot whole, gzipped for browsers', async () => {
    await importSnapshot(broken);
    const res = await get(`/api/snapshots/${broken.id}/view`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const view = validate(DisclosedGraphSchema, await json(`/api/snapshots/${broken.id}/view`), 'view');
    expect(view.mode).toBe('full');
    expect(view.graph.nodes).toHaveLength(view.total.nodes);
  });

  it('starts a 400-host cluster as an overview of a few hundred boxes and expands a group on demand', async () => {
    const { snapshot } = generateCluster({ nodes: 100, podsPerNode: 10, peerPodShare: 0.3, faults: 2, seed: 7 });
    await importSnapshot(snapshot);
    const overview = validate(DisclosedGraphSchema, await json(`/api/snapshots/${snapshot.id}/view`), 'view');
    expect(overview.mode).toBe('overview');
    expect(snapshot.hosts.length).toBeGreaterThan(300);
    expect(overview.groups.length).toBe(101);
    expect(overview.graph.nodes.length + overview.graph.edges.length).toBeLessThan(1000);
    expect(overview.total.nodes).toBeGreaterThan(5000);
    const faulty = overview.graph.nodes.filter((n) => n.kind === 'host' && n.collapsed?.severity === 'fatal');
    expect(faulty).toHaveLength(2);

    const group = faulty[0]!.id;
    const expanded: DisclosedGraph = validate(
      DisclosedGraphSchema,
      await json(`/api/snapshots/${snapshot.id}/view?expand=${encodeURIComponent(group)}`),
      'view',
    );
    expect(expanded.groups.find((g) => g.id === group)?.expanded).toBe(true);
    expect(expanded.graph.nodes.some((n) => nodeParent(n) !== undefined)).toBe(true);
    expect(expanded.graph.nodes.length).toBeGreaterThan(overview.graph.nodes.length);
  });

  it('refuses to expand a group that is not there, or too many at once, with the reason', async () => {
    const { snapshot } = generateCluster({ nodes: 100, podsPerNode: 10, peerPodShare: 0.3, faults: 0, seed: 7 });
    await importSnapshot(snapshot);
    const unknown = await t.app.inject(`/api/snapshots/${snapshot.id}/view?expand=host:nowhere`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ message: string }>().message).toContain('host:nowhere');
    const many = Array.from({ length: MAX_EXPANDED + 1 }, (_, i) => `host:node-${i}`).join(',');
    const tooMany = await t.app.inject(`/api/snapshots/${snapshot.id}/view?expand=${encodeURIComponent(many)}`);
    expect(tooMany.statusCode).toBe(400);
  });

  it('searches by MAC and by severity, and refuses a bad field', async () => {
    await importSnapshot(broken);
    const byMac = validate(
      SearchResultSchema,
      await json(`/api/snapshots/${broken.id}/search?q=0a:58:0a:84:02:2e`),
      's',
    );
    expect(byMac.hits.map((h) => h.field)).toContain('mac');
    const fatal = validate(SearchResultSchema, await json(`/api/snapshots/${broken.id}/search?q=&severity=fatal`), 's');
    expect(fatal.total).toBeGreaterThan(0);
    expect((await t.app.inject(`/api/snapshots/${broken.id}/search?q=x&field=color`)).statusCode).toBe(400);
  });

  it('compares broken and fixed seed: the MAC change and the resolved finding', async () => {
    await importSnapshot(broken);
    await importSnapshot(fixed);
    const diff = validate(SnapshotDiffSchema, await json(`/api/compare?a=${broken.id}&b=${fixed.id}`), 'diff');
    expect(diff.changes.some((c) => c.field === 'mac' && c.where.endsWith('/vxlan0'))).toBe(true);
    expect(diff.findings.resolved.map((f) => f.rule)).toContain('mac-mismatch-across-tunnel');
    const missing = await t.app.inject(`/api/compare?a=${broken.id}&b=${'x'.repeat(22)}`);
    expect(missing.statusCode).toBe(404);
  });

  it('lists the pods of a snapshot a page at a time, searched on the server', async () => {
    const { snapshot } = generateCluster({ nodes: 100, podsPerNode: 10, peerPodShare: 0.3, faults: 0, seed: 7 });
    await importSnapshot(snapshot);
    const first = validate(PodPageSchema, await json(`/api/snapshots/${snapshot.id}/pods?limit=5`), 'pods');
    expect(first.pods).toHaveLength(5);
    expect(first.total).toBe(snapshot.pods.length);
    const wanted = snapshot.pods[700]!;
    const found = validate(
      PodPageSchema,
      await json(`/api/snapshots/${snapshot.id}/pods?q=${encodeURIComponent(wanted.ips[0]!)}`),
      'pods',
    );
    expect(found.pods.map((p) => p.name)).toContain(wanted.name);
    expect((await t.app.inject(`/api/snapshots/${snapshot.id}/pods?limit=100000`)).statusCode).toBe(400);
  });

  it("lists the Services kube-proxy's rules program, and traces a pod to one picked by name, one branch per endpoint", async () => {
    await importSnapshot(kubeService);
    const page = validate(ServicePageSchema, await json(`/api/snapshots/${kubeService.id}/services?q=web`), 'services');
    expect(page).toEqual({
      services: [{ key: 'default/web:p80', clusterIp: '10.96.0.10', proto: 'tcp', port: 80 }],
      total: 1,
    });
    const pod = encodeURIComponent('node-a/hl-ksvc-na-p2');
    const traced = validate(
      TraceResultSchema,
      await json(
        `/api/snapshots/${kubeService.id}/trace?pod=${pod}&to=${encodeURIComponent('default/web:p80')}&proto=tcp&port=80`,
      ),
      'trace',
    );
    expect(traced.verdict).toBe('dropped');
    expect(traced.branches?.map((b) => [b.label, b.verdict])).toEqual([
      ['10.244.1.3:8080', 'delivered'],
      ['10.244.2.2:8080', 'delivered'],
      ['10.244.2.3:8080', 'dropped'],
    ]);
    expect((await t.app.inject(`/api/snapshots/${kubeService.id}/services?limit=100000`)).statusCode).toBe(400);
  });

  it("lists and traces the Services the Kubernetes API gave, and names where kube-proxy's rules disagree with them", async () => {
    const ports = [{ name: 'p80', protocol: 'TCP' as const, port: 8080 }];
    const withApi = {
      ...structuredClone(kubeService),
      id: 'kubeApiServices0000000000',
      kubernetes: {
        services: [
          {
            namespace: 'default',
            name: 'web',
            type: 'ClusterIP',
            clusterIps: ['10.96.0.10'],
            ports: [{ name: 'p80', protocol: 'TCP', port: 80 }],
          },
          { namespace: 'default', name: 'db', type: 'ClusterIP', clusterIps: ['10.96.0.20'], ports: [] },
        ],
        // 10.244.2.9 is ready in the slice; the node's rules were written before it came.
        endpointSlices: [
          {
            namespace: 'default',
            name: 'web-x1',
            service: 'web',
            addressType: 'IPv4',
            ports,
            endpoints: ['10.244.1.3', '10.244.2.2', '10.244.2.3', '10.244.2.9'].map((a) => ({
              addresses: [a],
              ready: true,
            })),
          },
        ],
        skipped: 0,
      },
    };
    await importSnapshot(withApi);
    const page = validate(ServicePageSchema, await json(`/api/snapshots/${withApi.id}/services?q=10.96`), 'services');
    expect(page.services).toEqual([{ key: 'default/web:p80', clusterIp: '10.96.0.10', proto: 'tcp', port: 80 }]);
    const pod = encodeURIComponent('node-a/hl-ksvc-na-p2');
    const traced = validate(
      TraceResultSchema,
      await json(`/api/snapshots/${withApi.id}/trace?pod=${pod}&to=${encodeURIComponent('default/web:80')}`),
      'trace',
    );
    expect([traced.service, traced.proto, traced.port, traced.branches?.length]).toEqual([
      'default/web:p80',
      'tcp',
      80,
      3,
    ]);
    const findings = (await json(`/api/snapshots/${withApi.id}/findings`)) as { rule: string; message: string }[];
    const unsynced = findings.filter((f) => f.rule === 'kube-proxy-not-synced');
    expect(unsynced.length).toBeGreaterThan(0);
    expect(unsynced[0]!.message).toContain('endpoint 10.244.2.9:8080 is ready but has no rule');
  });
});
