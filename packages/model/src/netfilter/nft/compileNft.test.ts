import { describe, expect, it } from 'vitest';
import type { JsonValue, NftTable } from '../../schema/firewall.ts';
import { F, FILTERS } from '../../testing/filterFixtures.ts';
import { nsIn } from '../../testing/seedFixtures.ts';
import { icmpEcho, type IpPacket } from '../../trace/packet.ts';
import { hookVerdict } from '../../trace/stages/netfilter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import type { NfHook } from '../nfPacket.ts';
import { nftRuleText } from './nftText.ts';

const daddr = { payload: { protocol: 'ip', field: 'daddr' } };
const l4proto = { meta: { key: 'l4proto' } };
const thDport = { payload: { protocol: 'th', field: 'dport' } };
const chain = (name: string, hook?: string, type = 'filter', prio = 0) => ({
  name,
  handle: 1,
  ...(hook ? { type, hook, prio, policy: 'accept' } : {}),
});
let handle = 10;
const rule = (c: string, ...expr: JsonValue[]) => ({ chain: c, handle: handle++, expr });

/**
 * A table as kube-proxy's nftables mode writes it (pkg/proxy/nftables/proxier.go): a `services`
 * verdict map keyed `ip daddr . meta l4proto . th dport`, endpoints picked by `numgen random`,
 * `masquerading` by `meta mark & 0x4000`, `fib daddr type local` to the nodeports.
 */
const kubeProxy: NftTable = {
  family: 'ip',
  name: 'kube-proxy',
  handle: 1,
  chains: [
    chain('nat-prerouting', 'prerouting', 'nat', -100),
    chain('filter-forward', 'forward', 'filter', -10),
    chain('services'),
    chain('service-ns1/svc1/tcp/p80'),
    chain('endpoint-1'),
    chain('cluster-ips-check'),
    chain('masquerading'),
  ],
  sets: [
    {
      name: 'service-ips',
      type: ['ipv4_addr', 'inet_proto', 'inet_service'],
      map: 'verdict',
      elem: [[{ concat: ['10.96.0.10', 'tcp', 80] }, { goto: { target: 'service-ns1/svc1/tcp/p80' } }]],
    },
    { name: 'cluster-ips', type: 'ipv4_addr', elem: ['10.96.0.10'] },
  ],
  rules: [
    rule('nat-prerouting', { jump: { target: 'services' } }),
    rule('services', { vmap: { key: { concat: [daddr, l4proto, thDport] }, data: '@service-ips' } }),
    rule(
      'services',
      { match: { op: '==', left: { fib: { result: 'type', flags: ['daddr'] } }, right: 'local' } },
      { jump: { target: 'nodeports' } },
    ),
    rule('service-ns1/svc1/tcp/p80', {
      vmap: {
        key: { numgen: { mode: 'random', mod: 2, offset: 0 } },
        data: { set: [[0, { goto: { target: 'endpoint-1' } }]] },
      },
    }),
    rule('endpoint-1', { dnat: { addr: '10.244.1.2', port: 80 } }),
    rule(
      'filter-forward',
      { match: { op: 'in', left: { ct: { key: 'state' } }, right: 'new' } },
      { jump: { target: 'cluster-ips-check' } },
    ),
    rule('cluster-ips-check', { match: { op: '==', left: daddr, right: '@cluster-ips' } }, { reject: null }),
    rule(
      'masquerading',
      { match: { op: '==', left: { '&': [{ meta: { key: 'mark' } }, 16384] }, right: 0 } },
      { return: null },
    ),
  ],
};

function verdict(table: NftTable, hook: NfHook, pkt: IpPacket) {
  const snap = FILTERS.iptablesOk();
  nsIn(snap, F.podns).firewall = { nftables: [table], iptables: [], ipsets: [], gaps: [] };
  const index = new SnapshotIndex(snap);
  return hookVerdict(index, index.netns(F.podns)!, 'ipv4', hook, pkt, {});
}
const tcp = (dst: string, dport: number): IpPacket => ({
  kind: 'ip',
  src: '10.244.1.5',
  dst,
  l4: { proto: 'tcp', sport: 40000, dport, flags: ['syn'] },
  size: 60,
  df: true,
  ct: 'new',
  mark: 0,
});

describe("nftables in kube-proxy's layout", () => {
  it('lets a ping through the services map: no element has its protocol, whatever its bytes', () => {
    expect(
      verdict(kubeProxy, 'prerouting', icmpEcho({ src: '10.244.1.5', dst: '10.244.2.3', type: 'echo-request' }))
        ?.verdict,
    ).toBe('accept');
  });

  it('follows the verdict map to the Service and both ways of its random pick: the endpoint, or no element', () => {
    const r = verdict(kubeProxy, 'prerouting', tcp('10.96.0.10', 80));
    expect(r?.verdict).toBe('chance');
    if (r?.verdict !== 'chance') return;
    expect(r.outcomes).toHaveLength(2);
    expect(
      r.outcomes.map((o) => [
        o.probability,
        o.result.verdict === 'accept' ? o.result.state.nat?.target : o.result.verdict,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [0.5, { kind: 'dnat', addr: '10.244.1.2', port: 80 }],
        [0.5, undefined],
      ]),
    );
  });

  it('rejects a new connection to a ClusterIP on the forward path, as kube-proxy does for ports it has no Service on', () => {
    expect(verdict(kubeProxy, 'forward', tcp('10.96.0.10', 81))).toMatchObject({
      verdict: 'reject',
      reject: 'icmp port-unreachable',
    });
    expect(verdict(kubeProxy, 'forward', tcp('10.96.0.11', 81))?.verdict).toBe('accept');
  });

  it('writes rules back as nft would print them', () => {
    expect(nftRuleText(kubeProxy.rules[1]!.expr)).toBe('ip daddr . meta l4proto . th dport vmap @service-ips');
    expect(nftRuleText(kubeProxy.rules[7]!.expr)).toBe('meta mark & 16384 0 return');
  });

  it('names an iptables-nft expression it cannot read', () => {
    const t: NftTable = {
      ...kubeProxy,
      chains: [chain('input', 'input')],
      sets: [],
      rules: [rule('input', { xt: { type: 'match', name: 'rpfilter' } }, { drop: null })],
    };
    expect(verdict(t, 'input', tcp('10.96.0.10', 80))).toMatchObject({
      verdict: 'unknown',
      why: expect.stringContaining('`rpfilter`'),
    });
  });
});
