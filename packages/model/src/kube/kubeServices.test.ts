import { describe, expect, it } from 'vitest';
import { kubeProxyTables } from '../testing/kubeProxyRuleset.ts';
import { EMPTY, serviceCluster, WEB } from '../testing/serviceCluster.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace, TraceInputError } from '../trace/trace.ts';
import { findServicePort, kubeServicePorts } from './kubeServices.ts';

const DNS = {
  namespace: 'kube-system',
  name: 'dns',
  port: 53,
  protocol: 'udp',
  clusterIp: '10.96.0.53',
  endpoints: WEB.endpoints,
} as const;

describe("Services recognised from kube-proxy's rules", () => {
  it("lists each Service port by the name in its cluster-IP comment, or in filter's reject of one without endpoints", () => {
    const c = serviceCluster(kubeProxyTables([WEB, EMPTY, DNS]));
    const ports = kubeServicePorts(new SnapshotIndex(c.b.snapshot()));
    expect(ports.map((p) => [p.key, p.clusterIp, p.proto, p.port])).toEqual([
      [`${EMPTY.namespace}/${EMPTY.name}:p81`, EMPTY.clusterIp, 'tcp', 81],
      [`${WEB.namespace}/${WEB.name}:p80`, WEB.clusterIp, 'tcp', 80],
      ['kube-system/dns:p53', '10.96.0.53', 'udp', 53],
    ]);
  });

  it('lists a Service with internalTrafficPolicy Local: its ClusterIP goes to KUBE-SVL-…, or is dropped without a local endpoint', () => {
    const inner = { ...WEB, name: 'inner', internalLocal: true, localEndpoints: [WEB.endpoints[0]!] };
    const none = { ...inner, name: 'inner-none', clusterIp: '10.96.0.12', localEndpoints: [] };
    const ports = kubeServicePorts(new SnapshotIndex(serviceCluster(kubeProxyTables([inner, none])).b.snapshot()));
    expect(ports.map((p) => [p.key, p.clusterIp])).toEqual([
      ['shop/inner-none:p80', '10.96.0.12'],
      ['shop/inner:p80', WEB.clusterIp],
    ]);
  });

  it('finds a Service by its port name or number, or alone without one', () => {
    const index = new SnapshotIndex(serviceCluster(kubeProxyTables([WEB, DNS])).b.snapshot());
    const key = `${WEB.namespace}/${WEB.name}`;
    for (const text of [`${key}:p80`, `${key}:80`, key])
      expect(findServicePort(index, text, 'node-a')?.clusterIp).toBe(WEB.clusterIp);
    expect(findServicePort(index, `${key}:81`, 'node-a')).toBeUndefined();
  });

  it('traces to a Service by name: its ClusterIP, protocol and port, every endpoint a branch', () => {
    const c = serviceCluster(kubeProxyTables([WEB, DNS]));
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, 'kube-system/dns:53');
    expect(r).toMatchObject({ to: '10.96.0.53', service: 'kube-system/dns:p53', proto: 'udp', port: 53 });
    expect(r.branches?.map((b) => b.verdict)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('refuses a Service the rules do not name, or a port that is not its own, listing what it knows', () => {
    const c = serviceCluster(kubeProxyTables([WEB]));
    const index = new SnapshotIndex(c.b.snapshot());
    expect(() => trace(index, c.client.ref, 'default/nope:80')).toThrow(TraceInputError);
    expect(() => trace(index, c.client.ref, 'default/nope:80')).toThrow(/known: .*web:p80/);
    expect(() => trace(index, c.client.ref, `${WEB.namespace}/${WEB.name}`, { proto: 'udp' })).toThrow(
      /is tcp port 80, not udp port 80/,
    );
  });
});
