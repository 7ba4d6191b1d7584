import { describe, expect, it } from 'vitest';
import { kubeProxyTables } from '../testing/kubeProxyRuleset.ts';
import { kubeApiObjects } from '../testing/kubeApiObjects.ts';
import { EMPTY, serviceCluster, WEB } from '../testing/serviceCluster.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace, TraceInputError } from '../trace/trace.ts';
import { servicePage } from '../view/servicePage.ts';
import { findServicePort, kubeServicePorts } from './kubeServices.ts';

const DB = { namespace: 'shop', name: 'db', port: 5432, clusterIp: '10.96.0.20', endpoints: ['10.244.2.9'] };

describe('Services from the Kubernetes API, where the collection had a kubeconfig', () => {
  it("resolves a Service by the API's name for it, which kube-proxy's rules need not carry", () => {
    // The node's rules program only WEB; the API also knows DB.
    const c = serviceCluster(kubeProxyTables([WEB, EMPTY]));
    const snap = c.b.snapshot();
    snap.kubernetes = kubeApiObjects([WEB, EMPTY, DB]);
    const index = new SnapshotIndex(snap);
    expect(kubeServicePorts(index).map((p) => p.key)).toEqual(['shop/web:p80', 'shop/empty:p81', 'shop/db:p5432']);
    expect(findServicePort(index, 'shop/db:5432', c.client.ref.host)?.clusterIp).toBe(DB.clusterIp);
    expect(servicePage(index, { q: 'db' }).services).toEqual([
      { key: 'shop/db:p5432', clusterIp: DB.clusterIp, proto: 'tcp', port: 5432 },
    ]);
    const r = trace(index, c.client.ref, 'shop/web:p80');
    expect(r).toMatchObject({
      to: WEB.clusterIp,
      service: 'shop/web:p80',
      proto: 'tcp',
      port: 80,
      verdict: 'delivered',
    });
  });

  it("names a Service the API does not list as unknown, though kube-proxy's rules still carry it", () => {
    const c = serviceCluster(kubeProxyTables([WEB, EMPTY]));
    const snap = c.b.snapshot();
    snap.kubernetes = kubeApiObjects([EMPTY]);
    const index = new SnapshotIndex(snap);
    expect(() => trace(index, c.client.ref, 'shop/web:p80')).toThrow(TraceInputError);
    expect(() => trace(index, c.client.ref, 'shop/web:p80')).toThrow(/known: shop\/empty:p81/);
  });

  it("falls back to kube-proxy's comments without a kubeconfig", () => {
    const c = serviceCluster(kubeProxyTables([WEB, EMPTY]));
    expect(kubeServicePorts(new SnapshotIndex(c.b.snapshot())).map((p) => p.key)).toEqual([
      'shop/empty:p81',
      'shop/web:p80',
    ]);
  });
});
