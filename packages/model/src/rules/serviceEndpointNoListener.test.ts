import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { kubeProxyTables } from '../testing/kubeProxyRuleset.ts';
import { nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { serviceCluster } from '../testing/serviceCluster.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { serviceEndpointNoListener } from './serviceEndpointNoListener.ts';

const listen = (port: number, address = '0.0.0.0') => ({
  sockets: [
    { proto: 'tcp' as const, family: address.includes(':') ? ('inet6' as const) : ('inet' as const), address, port },
  ],
});

describe('service-endpoint-no-listener', () => {
  it('flags the endpoint of a Service where nothing listens on the target port, as critical', () => {
    const c = serviceCluster();
    const [a, b, broken] = c.endpoints;
    a!.ns.listening = listen(80);
    b!.ns.listening = { sockets: [{ proto: 'tcp', family: 'inet6', address: '::', port: 80, v6only: false }] };
    broken!.ns.listening = listen(8080);
    const findings = serviceEndpointNoListener.run(new SnapshotIndex(c.b.snapshot()));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'service-endpoint-no-listener',
      severity: 'critical',
      subjects: [netnsId(broken!.ref)],
    });
    expect(findings[0]!.message).toContain(
      'nothing listens on 10.244.2.13:80/tcp in nb/ep2, an endpoint of Service shop/web:',
    );
  });

  it('never flags a peer pod’s worker-side eth0, which passes every frame to the pod VM', () => {
    const snap = seedFixed();
    const tables = kubeProxyTables([
      { namespace: 'default', name: 'seed', port: 80, clusterIp: '10.96.0.20', endpoints: [SEED.podIp] },
    ]);
    nsIn(snap, SEED.worker).firewall = { nftables: [], iptables: tables, ipsets: [], gaps: [] };
    nsIn(snap, SEED.pod).listening = { sockets: [] };
    nsIn(snap, SEED.podns).listening = listen(80);
    expect(serviceEndpointNoListener.run(new SnapshotIndex(snap))).toEqual([]);
    // Where the pod itself (on the pod VM) does not listen, that is what is said.
    nsIn(snap, SEED.podns).listening = { sockets: [] };
    expect(serviceEndpointNoListener.run(new SnapshotIndex(snap))).toMatchObject([
      { severity: 'critical', subjects: [netnsId({ host: SEED.podns.host, netns: SEED.podns.netns })] },
    ]);
  });

  it('says nothing where the sockets were not collected, or only some of them', () => {
    const c = serviceCluster();
    c.endpoints[1]!.ns.listening = { ...listen(8080), truncated: true };
    expect(serviceEndpointNoListener.run(new SnapshotIndex(c.b.snapshot()))).toEqual([]);
  });

  it('takes a socket bound to the endpoint address, or to a device, as listening', () => {
    const c = serviceCluster();
    c.endpoints[0]!.ns.listening = listen(80, c.ips[0]);
    c.endpoints[1]!.ns.listening = { sockets: [{ ...listen(80).sockets[0]!, dev: 'eth0' }] };
    c.endpoints[2]!.ns.listening = listen(80, '10.9.9.9');
    const findings = serviceEndpointNoListener.run(new SnapshotIndex(c.b.snapshot()));
    expect(findings.map((f) => f.subjects)).toEqual([[netnsId(c.endpoints[2]!.ref)]]);
  });

  it("reads the endpoints of kube-proxy's nftables mode from its endpoint chains", () => {
    const c = serviceCluster([]);
    const ep = c.ips[1]!;
    const chain = `endpoint-5OJB2KTY-shop/web/tcp/p80__${ep}/80`;
    c.na.ns.firewall = {
      nftables: [
        {
          family: 'ip',
          name: 'kube-proxy',
          handle: 1,
          chains: [{ name: chain, handle: 2 }],
          sets: [],
          rules: [
            {
              chain,
              handle: 3,
              expr: [
                { match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } },
                { dnat: { addr: ep, port: 80 } },
              ],
            },
          ],
        },
      ],
      iptables: [],
      ipsets: [],
      gaps: [],
    };
    for (const e of c.endpoints) e.ns.listening = listen(8080);
    const findings = serviceEndpointNoListener.run(new SnapshotIndex(c.b.snapshot()));
    expect(findings.map((f) => [f.subjects, f.evidence.services])).toEqual([
      [[netnsId(c.endpoints[1]!.ref)], 'shop/web:p80'],
    ]);
  });
});
