import { iptablesRuleText } from '../netfilter/iptables/compileIptables.ts';
import type { IptablesTable } from '../schema/firewall.ts';
import { cidrHas, servicePolicy } from './kubeProxyPolicy.ts';

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
  /** Its `status.loadBalancer.ingress` IPs, routed to the nodes as ExternalIPs are. */
  readonly loadBalancerIps?: readonly string[];
  /** Its `spec.loadBalancerSourceRanges`: the only sources its LoadBalancer IPs accept. */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** `externalTrafficPolicy: Local`: external traffic only to this node's endpoints, its source kept. */
  readonly externalLocal?: boolean;
  /** `internalTrafficPolicy: Local`: ClusterIP traffic only to this node's endpoints. */
  readonly internalLocal?: boolean;
  readonly endpoints: readonly string[];
  /** Which of `endpoints` run on the node whose rules are written (what the Local policies keep). */
  readonly localEndpoints?: readonly string[];
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
const sepOf = (id: string, proto: string, ep: string): string => `KUBE-SEP-${chainHash(`${id}${proto}${ep}`)}`;

/**
 * The iptables tables kube-proxy (iptables mode, as pkg/proxy/iptables/proxier.go writes them)
 * programs for these Services: filter's KUBE-FIREWALL, KUBE-FORWARD, KUBE-SERVICES (REJECT for a
 * Service without endpoints) and nat's KUBE-SERVICES → KUBE-SVC-… (statistic --mode random) →
 * KUBE-SEP-… (KUBE-MARK-MASQ, DNAT), KUBE-POSTROUTING with MASQUERADE; a Service's ExternalIPs and
 * LoadBalancer IPs (in KUBE-SERVICES) and NodePort (in KUBE-NODEPORTS) lead to its KUBE-EXT-…,
 * LoadBalancer IPs through KUBE-FW-… where loadBalancerSourceRanges filter them (what it does not
 * DNAT, filter's KUBE-PROXY-FIREWALL drops). externalTrafficPolicy Cluster: KUBE-EXT-… marks for
 * masquerade, then KUBE-SVC-…; Local: the node's pods (`-s clusterCidr`) and the node itself
 * (`--src-type LOCAL`, masqueraded) go to KUBE-SVC-…, anything else to KUBE-SVL-… (this node's
 * endpoints), unmasqueraded. internalTrafficPolicy Local sends the ClusterIP to KUBE-SVL-…. Without
 * endpoints the Service's addresses are REJECTed in filter (KUBE-SERVICES, KUBE-EXTERNAL-SERVICES);
 * without local ones, for a Local policy, DROPped ("has no local endpoints"). In the order and
 * words iptables-save prints them, for a benchmark, tests and the lab. `nodeIp`: where a source
 * range holds it, KUBE-FW-… lets the LoadBalancer IPs themselves in as sources (proxier.go's
 * allowFromNode).
 */
export function kubeProxyTables(
  services: readonly KubeService[],
  clusterCidr = '10.244.0.0/16',
  nodeIp?: string,
): IptablesTable[] {
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
    const p = servicePolicy(s);
    const id = `${s.namespace}/${s.name}:p${s.port}`;
    const proto = s.protocol ?? 'tcp';
    const target = s.targetPort ?? s.port;
    const match = ['-d', `${s.clusterIp}/32`, '-p', proto];
    const port = ['-m', proto, '--dport', String(s.port)];
    const nodePort = s.nodePort === undefined ? [] : ['-m', proto, '--dport', String(s.nodePort)];
    // Without endpoints anywhere every address is rejected; without local ones (a Local policy) dropped.
    const noEndpoints = p.hasEndpoints
      ? [...comment(`${id} has no local endpoints`), '-j', 'DROP']
      : [...comment(`${id} has no endpoints`), '-j', 'REJECT', '--reject-with', 'icmp-port-unreachable'];
    const [none, verdict] = [noEndpoints.slice(0, 4), noEndpoints.slice(4)];
    const hash = chainHash(`${id}${proto}`);
    const svc = `KUBE-SVC-${hash}`;
    const svl = `KUBE-SVL-${hash}`;
    const ext = `KUBE-EXT-${hash}`;
    const fw = `KUBE-FW-${hash}`;
    const usesExt = p.hasEndpoints && p.externallyAccessible;
    const usesFw = p.hasEndpoints && p.usesFirewall;
    if (p.usesClusterChain) chain(nat, svc);
    if (p.usesLocalChain) chain(nat, svl);
    if (usesExt) chain(nat, ext);
    if (usesFw) chain(nat, fw);
    const internal = s.internalLocal ? svl : svc;
    if (p.hasInternal) rule(nat, 'KUBE-SERVICES', ...match, ...comment(`${id} cluster IP`), ...port, '-j', internal);
    else rule(filter, 'KUBE-SERVICES', ...match, ...none, ...port, ...verdict);
    for (const ip of s.externalIps ?? []) {
      if (p.hasEndpoints)
        rule(nat, 'KUBE-SERVICES', '-d', `${ip}/32`, '-p', proto, ...comment(`${id} external IP`), ...port, '-j', ext);
      if (!p.hasExternal)
        rule(filter, 'KUBE-EXTERNAL-SERVICES', '-d', `${ip}/32`, '-p', proto, ...none, ...port, ...verdict);
    }
    for (const ip of s.loadBalancerIps ?? []) {
      const lbTo = usesFw ? fw : ext;
      if (p.hasEndpoints)
        rule(
          nat,
          'KUBE-SERVICES',
          '-d',
          `${ip}/32`,
          '-p',
          proto,
          ...comment(`${id} loadbalancer IP`),
          ...port,
          '-j',
          lbTo,
        );
      if (usesFw) {
        const notAccepted = comment(`${id} traffic not accepted by ${fw}`);
        rule(filter, 'KUBE-PROXY-FIREWALL', '-d', `${ip}/32`, '-p', proto, ...notAccepted, ...port, '-j', 'DROP');
      }
    }
    if (!p.hasExternal)
      for (const ip of s.loadBalancerIps ?? [])
        rule(filter, 'KUBE-EXTERNAL-SERVICES', '-d', `${ip}/32`, '-p', proto, ...none, ...port, ...verdict);
    if (s.nodePort !== undefined) {
      if (p.hasEndpoints) rule(nat, 'KUBE-NODEPORTS', '-p', proto, ...comment(id), ...nodePort, '-j', ext);
      if (!p.hasExternal)
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
          ...verdict,
        );
    }
    // Off-cluster sources of ClusterIP traffic are masqueraded (the endpoint may be on another node).
    if (p.hasInternal)
      rule(
        nat,
        internal,
        '!',
        '-s',
        clusterCidr,
        ...match,
        ...comment(`${id} cluster IP`),
        ...port,
        '-j',
        'KUBE-MARK-MASQ',
      );
    if (usesExt) {
      if (!s.externalLocal) {
        // External destinations may lead to another node's endpoint: always masqueraded.
        rule(nat, ext, ...comment(`masquerade traffic for ${id} external destinations`), '-j', 'KUBE-MARK-MASQ');
      } else {
        // Local: the source is kept; this node's pods and the node itself take the cluster policy
        // (the node masqueraded: its own address would be the source).
        rule(nat, ext, '-s', clusterCidr, ...comment(`pod traffic for ${id} external destinations`), '-j', svc);
        const localSrc = ['-m', 'addrtype', '--src-type', 'LOCAL'];
        rule(
          nat,
          ext,
          ...comment(`masquerade LOCAL traffic for ${id} external destinations`),
          ...localSrc,
          '-j',
          'KUBE-MARK-MASQ',
        );
        rule(nat, ext, ...comment(`route LOCAL traffic for ${id} external destinations`), ...localSrc, '-j', svc);
      }
      // Without endpoints for it, external traffic falls off the chain undNATed: filter drops it.
      if (p.hasExternal) rule(nat, ext, '-j', s.externalLocal ? svl : svc);
    }
    if (usesFw) {
      const lb = comment(`${id} loadbalancer IP`);
      for (const cidr of s.loadBalancerSourceRanges ?? []) rule(nat, fw, '-s', cidr, ...lb, '-j', ext);
      if (nodeIp !== undefined && (s.loadBalancerSourceRanges ?? []).some((c) => cidrHas(c, nodeIp)))
        for (const ip of s.loadBalancerIps ?? []) rule(nat, fw, '-s', `${ip}/32`, ...lb, '-j', ext);
      // Not DNATed here: filter's KUBE-PROXY-FIREWALL drops it.
      rule(nat, fw, ...comment(`other traffic to ${id} will be dropped by KUBE-PROXY-FIREWALL`));
    }
    const picks = (c: string, eps: readonly string[]): void =>
      eps.forEach((ep, i) => {
        const left = eps.length - i;
        const pick = left > 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', (1 / left).toFixed(11)] : [];
        rule(nat, c, ...comment(`${id} -> ${ep}:${target}`), ...pick, '-j', sepOf(id, proto, ep));
      });
    if (p.usesClusterChain) picks(svc, s.endpoints);
    if (p.usesLocalChain) picks(svl, p.local);
    for (const ep of p.reachable) {
      const sep = sepOf(id, proto, ep);
      chain(nat, sep);
      rule(nat, sep, '-s', `${ep}/32`, ...comment(id), '-j', 'KUBE-MARK-MASQ');
      rule(nat, sep, '-p', proto, ...comment(id), '-m', proto, '-j', 'DNAT', '--to-destination', `${ep}:${target}`);
    }
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
