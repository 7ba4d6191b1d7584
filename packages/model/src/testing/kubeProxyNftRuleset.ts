import type { JsonValue, NftTable } from '../schema/firewall.ts';
import { chainHash, type KubeService } from './kubeProxyRuleset.ts';

type Json = JsonValue;
const daddr = { payload: { protocol: 'ip', field: 'daddr' } };
const saddr = { payload: { protocol: 'ip', field: 'saddr' } };
const l4proto = { meta: { key: 'l4proto' } };
const thDport = { payload: { protocol: 'th', field: 'dport' } };
const mark = { meta: { key: 'mark' } };
const ctNew = { match: { op: 'in', left: { ct: { key: 'state' } }, right: 'new' } };
const jump = (target: string): Json => ({ jump: { target } });
const goto = (target: string): Json => ({ goto: { target } });
const eq = (left: Json, right: Json, op = '=='): Json => ({ match: { op, left, right } });
const setMark = (op: '|' | '^'): Json => ({ mangle: { key: mark, value: { [op]: [mark, 16384] } } });

/**
 * The table kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go) programs for these Services,
 * in `nft -j`'s words: the `service-ips` verdict map keyed `ip daddr . meta l4proto . th dport`, a
 * chain per Service picking an endpoint by `numgen random mod N vmap`, a chain per endpoint that
 * DNATs, `no-endpoint-services` to `reject-chain`, `cluster-ips-check` rejecting other ports of a
 * ClusterIP, `masquerading` by mark 0x4000. For a benchmark and tests of kube-proxy-sized rulesets.
 */
export function kubeProxyNftTable(
  services: readonly KubeService[],
  clusterCidr = '10.244.0.0/16',
  serviceCidr = '10.96.0.0/16',
): NftTable {
  let handle = 1;
  const chains: NftTable['chains'] = [];
  const rules: NftTable['rules'] = [];
  const chain = (name: string, hook?: { type: string; hook: string; prio: number }): void => {
    chains.push({ name, handle: handle++, ...(hook ? { ...hook, policy: 'accept' } : {}) });
  };
  const rule = (c: string, ...expr: Json[]): void => {
    rules.push({ chain: c, handle: handle++, expr });
  };
  const base = (name: string, type: string, hook: string, prio: number): void => chain(name, { type, hook, prio });
  base('filter-prerouting', 'filter', 'prerouting', -110);
  base('filter-input', 'filter', 'input', -110);
  base('filter-forward', 'filter', 'forward', -110);
  base('filter-output', 'filter', 'output', -110);
  base('nat-prerouting', 'nat', 'prerouting', -100);
  base('nat-output', 'nat', 'output', -100);
  base('nat-postrouting', 'nat', 'postrouting', 100);
  for (const c of [
    'firewall-check',
    'service-endpoints-check',
    'cluster-ips-check',
    'masquerading',
    'mark-for-masquerade',
    'services',
    'reject-chain',
  ])
    chain(c);
  const key = { concat: [daddr, l4proto, thDport] };
  rule('filter-prerouting', ctNew, jump('firewall-check'));
  rule('filter-input', ctNew, jump('service-endpoints-check'));
  rule('filter-forward', ctNew, jump('service-endpoints-check'));
  rule('filter-forward', ctNew, jump('cluster-ips-check'));
  rule('filter-output', ctNew, jump('service-endpoints-check'));
  rule('filter-output', ctNew, jump('cluster-ips-check'));
  rule('nat-prerouting', jump('services'));
  rule('nat-output', jump('services'));
  rule('nat-postrouting', jump('masquerading'));
  rule('firewall-check', { vmap: { key, data: '@firewall-ips' } });
  rule('service-endpoints-check', { vmap: { key, data: '@no-endpoint-services' } });
  rule('cluster-ips-check', eq(daddr, '@cluster-ips'), { reject: null });
  const [net = '', len = '32'] = serviceCidr.split('/');
  rule('cluster-ips-check', eq(daddr, { prefix: { addr: net, len: Number(len) } }), { drop: null });
  rule('masquerading', eq({ '&': [mark, 16384] }, 0), { return: null });
  rule('masquerading', setMark('^'));
  rule('masquerading', { masquerade: { flags: 'fully-random' } });
  rule('mark-for-masquerade', setMark('|'));
  rule('services', { vmap: { key, data: '@service-ips' } });
  rule('reject-chain', { reject: null });
  const [cnet = '', clen = '32'] = clusterCidr.split('/');
  const serviceIps: Json[] = [];
  const noEndpoints: Json[] = [];
  for (const s of services) {
    const proto = s.protocol ?? 'tcp';
    const target = s.targetPort ?? s.port;
    const id = `${s.namespace}/${s.name}/${proto}/p${s.port}`;
    const elem = { concat: [s.clusterIp, proto, s.port] };
    if (s.endpoints.length === 0) {
      noEndpoints.push([elem, goto('reject-chain')]);
      continue;
    }
    const svc = `service-${chainHash(id).slice(0, 8)}-${id}`;
    chain(svc);
    serviceIps.push([elem, goto(svc)]);
    rule(
      svc,
      eq(daddr, s.clusterIp),
      eq({ payload: { protocol: proto, field: 'dport' } }, s.port),
      eq(saddr, { prefix: { addr: cnet, len: Number(clen) } }, '!='),
      jump('mark-for-masquerade'),
    );
    const eps = s.endpoints.map((ep) => {
      const name = `endpoint-${chainHash(`${id}${ep}`).slice(0, 8)}-${id}__${ep}/${target}`;
      chain(name);
      rule(name, eq(saddr, ep), jump('mark-for-masquerade'));
      rule(name, eq(l4proto, proto), { dnat: { addr: ep, port: target } });
      return name;
    });
    rule(svc, {
      vmap: {
        key: { numgen: { mode: 'random', mod: eps.length, offset: 0 } },
        data: { set: eps.map((ep, i) => [i, goto(ep)]) },
      },
    });
  }
  const verdictMap = (name: string, elem: Json[]) => ({
    name,
    type: ['ipv4_addr', 'inet_proto', 'inet_service'],
    map: 'verdict',
    elem,
  });
  return {
    family: 'ip',
    name: 'kube-proxy',
    handle: 1,
    chains,
    sets: [
      verdictMap('service-ips', serviceIps),
      verdictMap('no-endpoint-services', noEndpoints),
      verdictMap('firewall-ips', []),
      { name: 'cluster-ips', type: 'ipv4_addr', elem: services.map((s) => s.clusterIp) },
    ],
    rules,
  };
}
