import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from '../trace/trace.ts';
import { kubeServices } from './kubeProxyRuleset.ts';
import { kubeProxyNftTable } from './kubeProxyNftRuleset.ts';
import { EMPTY, serviceCluster, WEB } from './serviceCluster.ts';

function nftCluster(count: number) {
  const c = serviceCluster([]);
  const table = kubeProxyNftTable([...kubeServices(count, '10.245'), WEB, EMPTY]);
  c.na.ns.firewall = { nftables: [table], iptables: [], ipsets: [], gaps: [] };
  return { c, index: new SnapshotIndex(c.b.snapshot()) };
}

describe("kube-proxy's nftables table for many Services", () => {
  const { c, index } = nftCluster(300);

  it('takes a connection to a Service to each of its endpoints, each a third likely, and back', () => {
    const r = trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('delivered');
    expect(r.branches?.map((b) => b.label)).toEqual(WEB.endpoints.map((ep) => `${ep}:80`));
  });

  it('rejects a connection to a Service without endpoints through no-endpoint-services', () => {
    const r = trace(index, c.client.ref, EMPTY.clusterIp, { proto: 'tcp', port: 81 });
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)?.reason).toMatch(/reject-chain .*rejects it/);
  });

  it('rejects a port the ClusterIP does not serve through cluster-ips-check', () => {
    const r = trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 8080 });
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)?.reason).toMatch(/cluster-ips-check .*rejects it/);
  });
});
