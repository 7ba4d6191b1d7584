import { describe, expect, it } from 'vitest';
import type { JsonValue, NftTable } from '../../schema/firewall.ts';
import { serviceCluster, WEB } from '../../testing/serviceCluster.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const chain = (name: string, hook?: string, prio = 0) => ({
  name,
  handle: 1,
  ...(hook ? { type: 'nat', hook, prio, policy: 'accept' } : {}),
});
let handle = 10;
const rule = (c: string, ...expr: JsonValue[]) => ({ chain: c, handle: handle++, expr });
const svcChain = 'service-ULMVA6XW-shop/web/tcp/p80';
const epChain = (ep: string): string => `endpoint-5OJB2KTY-shop/web/tcp/p80__${ep}/80`;

/**
 * WEB as kube-proxy's nftables mode writes it (pkg/proxy/nftables/proxier.go), in `nft -j`'s
 * words: `services` maps `ip daddr . meta l4proto . th dport` to the Service chain, which picks an
 * endpoint by `numgen random mod 3 vmap`, whose chain DNATs.
 */
function kubeProxyNft(endpoints: readonly string[]): NftTable {
  const key = {
    concat: [
      { payload: { protocol: 'ip', field: 'daddr' } },
      { meta: { key: 'l4proto' } },
      { payload: { protocol: 'th', field: 'dport' } },
    ],
  };
  return {
    family: 'ip',
    name: 'kube-proxy',
    handle: 1,
    chains: [
      chain('nat-prerouting', 'prerouting', -100),
      chain('services'),
      chain(svcChain),
      ...endpoints.map((ep) => chain(epChain(ep))),
    ],
    sets: [
      {
        name: 'service-ips',
        type: ['ipv4_addr', 'inet_proto', 'inet_service'],
        map: 'verdict',
        elem: [[{ concat: [WEB.clusterIp, 'tcp', 80] }, { goto: { target: svcChain } }]],
      },
    ],
    rules: [
      rule('nat-prerouting', { jump: { target: 'services' } }),
      rule('services', { vmap: { key, data: '@service-ips' } }),
      rule(svcChain, {
        vmap: {
          key: { numgen: { mode: 'random', mod: endpoints.length, offset: 0 } },
          data: { set: endpoints.map((ep, i) => [i, { goto: { target: epChain(ep) } }]) },
        },
      }),
      ...endpoints.map((ep) =>
        rule(
          epChain(ep),
          { match: { op: '==', left: { meta: { key: 'l4proto' } }, right: 'tcp' } },
          { dnat: { addr: ep, port: 80 } },
        ),
      ),
    ],
  };
}

describe("a connection to a Service through kube-proxy's nftables mode", () => {
  it('follows numgen random to every endpoint, each a third likely, each DNATed and answered', () => {
    const c = serviceCluster([]);
    c.na.ns.firewall = { nftables: [kubeProxyNft(WEB.endpoints)], iptables: [], ipsets: [], gaps: [] };
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('delivered');
    expect(r.branches?.map((b) => b.label)).toEqual(WEB.endpoints.map((ep) => `${ep}:80`));
    for (const b of r.branches ?? []) expect(b.probability).toBeCloseTo(1 / 3, 9);
    const pick = r.branches![2]!.hops.find((h) => h.component === 'nat' && h.reason.includes('at random'));
    expect(pick?.rule).toMatchObject({ backend: 'nftables', chain: svcChain });
  });

  it('answers unknown, naming the loop, where an endpoint chain jumps back to the Service chain', () => {
    const c = serviceCluster([]);
    const t = kubeProxyNft(WEB.endpoints);
    const looped = { ...t, rules: [rule(epChain(WEB.endpoints[0]!), { jump: { target: svcChain } }), ...t.rules] };
    c.na.ns.firewall = { nftables: [looped], iptables: [], ipsets: [], gaps: [] };
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('unknown');
    expect(r.hops.at(-1)?.reason).toContain('the chains loop');
  });
});
