import { iptablesRuleText } from '../netfilter/iptables/compileIptables.ts';
import type { IptablesTable } from '../schema/firewall.ts';

/** A ClusterIP Service as kube-proxy programs it: one port, its endpoints (none: it rejects). */
export interface KubeService {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  /** TCP unless said. */
  readonly protocol?: 'tcp' | 'udp';
  /** The endpoints' port; the Service's own unless said. */
  readonly targetPort?: number;
  readonly clusterIp: string;
  /** The NodePort, where the Service has one (externalTrafficPolicy Cluster). */
  readonly nodePort?: number;
  /** Its `spec.externalIPs`: addresses routed to the nodes, not held by them. */
  readonly externalIps?: readonly string[];
  readonly endpoints: readonly string[];
}

/** `count` Services in 10.96.0.0/16, two endpoints each in `podCidr`'s /16, every 50th without any. */
export function kubeServices(count: number, podPrefix = '10.244'): KubeService[] {
  return Array.from({ length: count }, (_, i) => ({
    namespace: `ns${i % 40}`,
    name: `svc${i}`,
    port: 8000 + (i % 1000),
    clusterIp: `10.96.${(i >> 8) & 255}.${i & 255}`,
    endpoints:
      i % 50 === 49
        ? []
        : [`${podPrefix}.${(i >> 7) & 255}.${(2 * i) & 255}`, `${podPrefix}.${(i >> 7) & 255}.${(2 * i + 1) & 255}`],
  }));
}

/** kube-proxy's chain names are base32 of a sha256; any 16 stable characters of that alphabet do here. */
export function chainHash(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ text.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[((i < 8 ? h1 : h2) >>> ((i % 8) * 4)) & 31];
  return out;
}

const comment = (text: string): string[] => ['-m', 'comment', '--comment', text];

/**
 * The iptables tables kube-proxy (iptables mode, as pkg/proxy/iptables/proxier.go writes them)
 * programs for these Services: filter's KUBE-FIREWALL, KUBE-FORWARD, KUBE-SERVICES (REJECT for a
 * Service without endpoints) and nat's KUBE-SERVICES → KUBE-SVC-… (statistic --mode random) →
 * KUBE-SEP-… (KUBE-MARK-MASQ, DNAT), KUBE-POSTROUTING with MASQUERADE; a Service's ExternalIPs (in
 * KUBE-SERVICES) and NodePort (in KUBE-NODEPORTS) lead to its KUBE-EXT-… (KUBE-MARK-MASQ, then
 * KUBE-SVC-…), and without endpoints to KUBE-EXTERNAL-SERVICES' REJECT. In the order and words
 * iptables-save prints them, for a benchmark and tests of kube-proxy-sized rulesets.
 */
export function kubeProxyTables(services: readonly KubeService[], clusterCidr = '10.244.0.0/16'): IptablesTable[] {
  const filter: IptablesTable = { family: 'ipv4', backend: 'nft', name: 'filter', chains: [], rules: [] };
  const nat: IptablesTable = { family: 'ipv4', backend: 'nft', name: 'nat', chains: [], rules: [] };
  const chain = (t: IptablesTable, name: string, policy = '-'): void => {
    t.chains.push({ name, policy, packets: 0, bytes: 0 });
  };
  const rule = (t: IptablesTable, c: string, ...args: string[]): void => {
    t.rules.push({ chain: c, args, packets: 0, bytes: 0 });
  };
  for (const c of ['INPUT', 'FORWARD', 'OUTPUT']) chain(filter, c, 'ACCEPT');
  for (const c of [
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FIREWALL',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SERVICES',
  ])
    chain(filter, c);
  const ctNew = ['-m', 'conntrack', '--ctstate', 'NEW'];
  rule(filter, 'INPUT', ...ctNew, ...comment('kubernetes load balancer firewall'), '-j', 'KUBE-PROXY-FIREWALL');
  rule(filter, 'INPUT', ...comment('kubernetes health check service ports'), '-j', 'KUBE-NODEPORTS');
  rule(
    filter,
    'INPUT',
    ...ctNew,
    ...comment('kubernetes externally visible service portals'),
    '-j',
    'KUBE-EXTERNAL-SERVICES',
  );
  rule(filter, 'INPUT', '-j', 'KUBE-FIREWALL');
  rule(filter, 'FORWARD', ...ctNew, ...comment('kubernetes load balancer firewall'), '-j', 'KUBE-PROXY-FIREWALL');
  rule(filter, 'FORWARD', ...comment('kubernetes forwarding rules'), '-j', 'KUBE-FORWARD');
  rule(filter, 'FORWARD', ...ctNew, ...comment('kubernetes service portals'), '-j', 'KUBE-SERVICES');
  rule(
    filter,
    'FORWARD',
    ...ctNew,
    ...comment('kubernetes externally visible service portals'),
    '-j',
    'KUBE-EXTERNAL-SERVICES',
  );
  rule(filter, 'OUTPUT', ...ctNew, ...comment('kubernetes load balancer firewall'), '-j', 'KUBE-PROXY-FIREWALL');
  rule(filter, 'OUTPUT', ...ctNew, ...comment('kubernetes service portals'), '-j', 'KUBE-SERVICES');
  rule(filter, 'OUTPUT', '-j', 'KUBE-FIREWALL');
  rule(
    filter,
    'KUBE-FIREWALL',
    '!',
    '-s',
    '127.0.0.0/8',
    '-d',
    '127.0.0.0/8',
    ...comment('block incoming localnet connections'),
    '-m',
    'conntrack',
    '!',
    '--ctstate',
    'RELATED,ESTABLISHED,DNAT',
    '-j',
    'DROP',
  );
  rule(filter, 'KUBE-FORWARD', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP');
  rule(
    filter,
    'KUBE-FORWARD',
    ...comment('kubernetes forwarding rules'),
    '-m',
    'mark',
    '--mark',
    '0x4000/0x4000',
    '-j',
    'ACCEPT',
  );
  rule(
    filter,
    'KUBE-FORWARD',
    ...comment('kubernetes forwarding conntrack rule'),
    '-m',
    'conntrack',
    '--ctstate',
    'RELATED,ESTABLISHED',
    '-j',
    'ACCEPT',
  );

  for (const c of ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']) chain(nat, c, 'ACCEPT');
  for (const c of ['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES']) chain(nat, c);
  rule(nat, 'PREROUTING', ...comment('kubernetes service portals'), '-j', 'KUBE-SERVICES');
  rule(nat, 'OUTPUT', ...comment('kubernetes service portals'), '-j', 'KUBE-SERVICES');
  rule(nat, 'POSTROUTING', ...comment('kubernetes postrouting rules'), '-j', 'KUBE-POSTROUTING');
  rule(nat, 'KUBE-MARK-MASQ', '-j', 'MARK', '--set-xmark', '0x4000/0x4000');
  rule(nat, 'KUBE-POSTROUTING', '-m', 'mark', '!', '--mark', '0x4000/0x4000', '-j', 'RETURN');
  rule(nat, 'KUBE-POSTROUTING', '-j', 'MARK', '--set-xmark', '0x4000/0x0');
  rule(
    nat,
    'KUBE-POSTROUTING',
    ...comment('kubernetes service traffic requiring SNAT'),
    '-j',
    'MASQUERADE',
    '--random-fully',
  );
  for (const s of services) {
    const id = `${s.namespace}/${s.name}:p${s.port}`;
    const proto = s.protocol ?? 'tcp';
    const target = s.targetPort ?? s.port;
    const match = ['-d', `${s.clusterIp}/32`, '-p', proto];
    const port = ['-m', proto, '--dport', String(s.port)];
    const reject = ['-j', 'REJECT', '--reject-with', 'icmp-port-unreachable'];
    const nodePort = s.nodePort === undefined ? [] : ['-m', proto, '--dport', String(s.nodePort)];
    if (s.endpoints.length === 0) {
      const none = comment(`${id} has no endpoints`);
      rule(filter, 'KUBE-SERVICES', ...match, ...none, ...port, ...reject);
      for (const ip of s.externalIps ?? [])
        rule(filter, 'KUBE-EXTERNAL-SERVICES', '-d', `${ip}/32`, '-p', proto, ...none, ...port, ...reject);
      if (s.nodePort !== undefined)
        rule(
          filter,
          'KUBE-EXTERNAL-SERVICES',
          '-p',
          proto,
          ...none,
          '-m',
          'addrtype',
          '--dst-type',
          'LOCAL',
          ...nodePort,
          ...reject,
        );
      continue;
    }
    const hash = chainHash(`${id}${proto}`);
    const svc = `KUBE-SVC-${hash}`;
    chain(nat, svc);
    rule(nat, 'KUBE-SERVICES', ...match, ...comment(`${id} cluster IP`), ...port, '-j', svc);
    rule(nat, svc, '!', '-s', clusterCidr, ...match, ...comment(`${id} cluster IP`), ...port, '-j', 'KUBE-MARK-MASQ');
    // External destinations (ExternalIPs, the NodePort) go through KUBE-EXT-…: marked for
    // masquerade (the endpoint may be on another node), then the Service chain.
    if (s.nodePort !== undefined || (s.externalIps ?? []).length > 0) {
      const ext = `KUBE-EXT-${hash}`;
      chain(nat, ext);
      for (const ip of s.externalIps ?? [])
        rule(nat, 'KUBE-SERVICES', '-d', `${ip}/32`, '-p', proto, ...comment(`${id} external IP`), ...port, '-j', ext);
      if (s.nodePort !== undefined) rule(nat, 'KUBE-NODEPORTS', '-p', proto, ...comment(id), ...nodePort, '-j', ext);
      rule(nat, ext, ...comment(`masquerade traffic for ${id} external destinations`), '-j', 'KUBE-MARK-MASQ');
      rule(nat, ext, '-j', svc);
    }
    s.endpoints.forEach((ep, i) => {
      const sep = `KUBE-SEP-${chainHash(`${id}${proto}${ep}`)}`;
      chain(nat, sep);
      const left = s.endpoints.length - i;
      const pick = left > 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', (1 / left).toFixed(11)] : [];
      rule(nat, svc, ...comment(`${id} -> ${ep}:${target}`), ...pick, '-j', sep);
      rule(nat, sep, '-s', `${ep}/32`, ...comment(id), '-j', 'KUBE-MARK-MASQ');
      rule(nat, sep, '-p', proto, ...comment(id), '-m', proto, '-j', 'DNAT', '--to-destination', `${ep}:${target}`);
    });
  }
  rule(
    nat,
    'KUBE-SERVICES',
    ...comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
    '-m',
    'addrtype',
    '--dst-type',
    'LOCAL',
    '-j',
    'KUBE-NODEPORTS',
  );
  return [filter, nat];
}

/** Tables as `iptables-save` writes them, for `iptables-restore`. */
export function iptablesSaveText(tables: readonly IptablesTable[]): string {
  const out: string[] = [];
  for (const t of tables) {
    out.push(`*${t.name}`);
    for (const c of t.chains) out.push(`:${c.name} ${c.policy} [0:0]`);
    for (const r of t.rules) out.push(iptablesRuleText(r.chain, r.args));
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}
