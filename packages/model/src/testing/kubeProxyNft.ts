import { servicePolicy } from './kubeProxyPolicy.ts';
import type { KubeService } from './kubeProxyRuleset.ts';

/** kube-proxy's default masquerade bit (14), printed as it prints it (`%#08x`). */
const MASQ_MARK = '0x004000';

/**
 * kube-proxy's priorities `dstnat-10`, `dstnat` and `srcnat` as numbers: Debian's nft 1.0.6 accepts
 * those names only on the prerouting/postrouting hooks; the kernel holds the same numbers either way.
 */
const DSTNAT_10 = '-110';
const DSTNAT = '-100';
const SRCNAT = '100';

/** kube-proxy prefixes a chain name with 8 characters of base32(sha256(name)); any 8 stable ones of that alphabet do here. */
function hash8(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[(h >>> (i * 4)) & 31];
  return out;
}

/** kube-proxy's name of a Service port: `namespace/name:port` (the port's name; the lab names it `p<number>`). */
export const servicePortName = (s: KubeService): string => `${s.namespace}/${s.name}:p${s.port}`;

/** `service-HASH-ns/name/proto/port`, the Service's cluster-policy chain. */
export function nftServiceChain(s: KubeService): string {
  const base = `${s.namespace}/${s.name}/${s.protocol ?? 'tcp'}/p${s.port}`;
  return `service-${hash8(base)}-${base}`;
}

/** `external-HASH-ns/name/proto/port`, where the Service's NodePort and ExternalIPs lead. */
export function nftExternalChain(s: KubeService): string {
  return nftServiceChain(s).replace(/^service-/, 'external-');
}

/** `local-HASH-ns/name/proto/port`, the Service's local-policy chain (this node's endpoints). */
export function nftLocalChain(s: KubeService): string {
  return nftServiceChain(s).replace(/^service-/, 'local-');
}

/** `firewall-HASH-ns/name/proto/port`, where loadBalancerSourceRanges filter its LoadBalancer IPs. */
export function nftFirewallChain(s: KubeService): string {
  return nftServiceChain(s).replace(/^service-/, 'firewall-');
}

/** `endpoint-HASH-ns/name/proto/port__ip/targetPort`, the endpoint's DNAT chain. */
export function nftEndpointChain(s: KubeService, ep: string): string {
  const base = `${s.namespace}/${s.name}/${s.protocol ?? 'tcp'}/p${s.port}__${ep}/${s.targetPort ?? s.port}`;
  return `endpoint-${hash8(base)}-${base}`;
}

/** What a lab's fault takes out of kube-proxy's nftables table. */
export interface NftFaults {
  /** Endpoints whose chain lacks its `dnat to` rule. */
  readonly noDnatTo?: readonly string[];
  /** `nat-postrouting` without its `jump masquerading`: marked connections leave with their own source. */
  readonly noMasquerade?: boolean;
}

/**
 * The `table ip kube-proxy` kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go, as of
 * Kubernetes commit 01d7de54) programs for these ClusterIP Services, as an `nft -f` script: the
 * filter base chains at dstnat-10 jumping (`ct state new`) to endpoints-check and firewall-check,
 * `no-endpoint-services` sending a Service without endpoints to reject-chain (its element's comment
 * the Service port's name), `services` dispatching through the `service-ips` verdict map to the
 * Service chain (mark-for-masquerade for sources outside `clusterCidr`, then `numgen random mod N
 * vmap`), each endpoint chain marking hairpin traffic and DNATing, and `masquerading` for marked
 * packets. A Service's ExternalIPs and LoadBalancer IPs (in `service-ips`) and NodePort (in
 * `service-nodeports`) lead to its `external-…` chain: externalTrafficPolicy Cluster marks for
 * masquerade, then goes to the Service chain; Local sends the node's pods (`ip saddr clusterCidr`)
 * and the node itself (`fib saddr type local`, masqueraded) to the Service chain and anything else,
 * unmasqueraded, to `local-…` (this node's endpoints). loadBalancerSourceRanges put the LoadBalancer
 * IPs in `firewall-ips`, whose `firewall-…` chain drops other sources before DNAT.
 * internalTrafficPolicy Local sends the ClusterIP to `local-…`. Without endpoints, the Service's
 * addresses go to reject-chain through `no-endpoint-services` / `no-endpoint-nodeports`; without
 * local ones, for a Local policy, to `drop`.
 */
export function kubeProxyNftScript(
  services: readonly KubeService[],
  clusterCidr = '10.244.0.0/16',
  faults: NftFaults = {},
): string {
  const out: string[] = ['table ip kube-proxy {'];
  const line = (text: string): void => {
    out.push(`\t${text}`);
  };
  const chain = (name: string, body: readonly string[]): void => {
    line(`chain ${name} {`);
    for (const b of body) line(`\t${b}`);
    line('}');
  };
  const map = (name: string, type: string, comment: string, elems: readonly string[]): void => {
    line(`map ${name} {`);
    line(`\ttype ${type} : verdict`);
    line(`\tcomment "${comment}"`);
    if (elems.length > 0) line(`\telements = { ${elems.join(',\n\t\t\t')} }`);
    line('}');
  };
  line('comment "rules for kube-proxy"');
  const noEndpointServices: string[] = [];
  const noEndpointNodePorts: string[] = [];
  const firewallIps: string[] = [];
  const serviceIps: string[] = [];
  const serviceNodePorts: string[] = [];
  /** Each Service's own chains, written after the table's fixed ones. */
  const serviceChains: [string, string[]][] = [];
  for (const s of services) {
    const p = servicePolicy(s);
    const proto = s.protocol ?? 'tcp';
    const key = (ip: string): string => `${ip} . ${proto} . ${s.port}`;
    const named = `comment "${servicePortName(s)}"`;
    // Without endpoints anywhere: reject; without local ones, for a Local policy: drop.
    const noEndpoints = p.hasEndpoints ? 'drop' : 'goto reject-chain';
    const internal = s.internalLocal ? nftLocalChain(s) : nftServiceChain(s);
    if (p.hasInternal) serviceIps.push(`${key(s.clusterIp)} : goto ${internal}`);
    else noEndpointServices.push(`${key(s.clusterIp)} ${named} : ${noEndpoints}`);
    for (const ip of s.externalIps ?? []) {
      if (p.hasEndpoints) serviceIps.push(`${key(ip)} : goto ${nftExternalChain(s)}`);
      if (!p.hasExternal) noEndpointServices.push(`${key(ip)} ${named} : ${noEndpoints}`);
    }
    for (const ip of s.loadBalancerIps ?? []) {
      if (p.hasEndpoints) serviceIps.push(`${key(ip)} : goto ${nftExternalChain(s)}`);
      if (p.usesFirewall) firewallIps.push(`${key(ip)} : goto ${nftFirewallChain(s)}`);
    }
    if (!p.hasExternal)
      for (const ip of s.loadBalancerIps ?? []) noEndpointServices.push(`${key(ip)} ${named} : ${noEndpoints}`);
    if (s.nodePort !== undefined) {
      const np = `${proto} . ${s.nodePort}`;
      if (p.hasEndpoints) serviceNodePorts.push(`${np} : goto ${nftExternalChain(s)}`);
      if (!p.hasExternal) noEndpointNodePorts.push(`${np} ${named} : ${noEndpoints}`);
    }
    const picks = (eps: readonly string[]): string =>
      `numgen random mod ${eps.length} vmap { ${eps.map((ep, i) => `${i} : goto ${nftEndpointChain(s, ep)}`).join(', ')} }`;
    const masq = `ip daddr ${s.clusterIp} ${proto} dport ${s.port} ip saddr != ${clusterCidr} jump mark-for-masquerade`;
    if (p.usesClusterChain)
      serviceChains.push([
        nftServiceChain(s),
        [...(p.hasInternal && !s.internalLocal ? [masq] : []), picks(s.endpoints)],
      ]);
    if (p.usesLocalChain)
      serviceChains.push([nftLocalChain(s), [...(p.hasInternal && s.internalLocal ? [masq] : []), picks(p.local)]]);
    if (p.hasEndpoints && p.externallyAccessible) {
      const ext = s.externalLocal
        ? [
            // Local: the source is kept; this node's pods and the node itself take the cluster policy.
            `ip saddr ${clusterCidr} goto ${nftServiceChain(s)} comment "short-circuit pod traffic"`,
            'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
            `fib saddr type local goto ${nftServiceChain(s)} comment "short-circuit local traffic"`,
          ]
        : // Cluster: external traffic may cross nodes, always masqueraded.
          ['jump mark-for-masquerade'];
      // Without endpoints for it, external traffic leaves the chain unDNATed: endpoints-check drops it.
      if (p.hasExternal) ext.push(`goto ${s.externalLocal ? nftLocalChain(s) : nftServiceChain(s)}`);
      serviceChains.push([nftExternalChain(s), ext]);
    }
    if (p.usesFirewall)
      serviceChains.push([
        nftFirewallChain(s),
        [`ip saddr != { ${(s.loadBalancerSourceRanges ?? []).join(', ')} } drop`],
      ]);
    for (const ep of p.reachable) {
      const dnat = faults.noDnatTo?.includes(ep)
        ? []
        : [`meta l4proto ${proto} dnat to ${ep}:${s.targetPort ?? s.port}`];
      serviceChains.push([nftEndpointChain(s, ep), [`ip saddr ${ep} jump mark-for-masquerade`, ...dnat]]);
    }
  }
  map(
    'no-endpoint-services',
    'ipv4_addr . inet_proto . inet_service',
    'vmap to drop or reject packets to services with no endpoints',
    noEndpointServices,
  );
  map(
    'no-endpoint-nodeports',
    'inet_proto . inet_service',
    'vmap to drop or reject packets to service nodeports with no endpoints',
    noEndpointNodePorts,
  );
  map(
    'firewall-ips',
    'ipv4_addr . inet_proto . inet_service',
    'destinations that are subject to LoadBalancerSourceRanges',
    firewallIps,
  );
  map(
    'service-ips',
    'ipv4_addr . inet_proto . inet_service',
    'ClusterIP, ExternalIP and LoadBalancer IP traffic',
    serviceIps,
  );
  map('service-nodeports', 'inet_proto . inet_service', 'NodePort traffic', serviceNodePorts);
  const base = (name: string, type: string, hook: string, prio: string, body: readonly string[]): void =>
    chain(name, [`type ${type} hook ${hook} priority ${prio}; policy accept;`, ...body]);
  base('filter-prerouting', 'filter', 'prerouting', DSTNAT_10, ['ct state new jump firewall-check']);
  base('filter-input', 'filter', 'input', DSTNAT_10, ['ct state new jump endpoints-check']);
  base('filter-forward', 'filter', 'forward', DSTNAT_10, ['ct state new jump endpoints-check']);
  base('filter-output', 'filter', 'output', DSTNAT_10, [
    'ct state new jump endpoints-check',
    'ct state new jump firewall-check',
  ]);
  base('nat-prerouting', 'nat', 'prerouting', DSTNAT, ['jump services']);
  base('nat-output', 'nat', 'output', DSTNAT, ['jump services']);
  base('nat-postrouting', 'nat', 'postrouting', SRCNAT, faults.noMasquerade ? [] : ['jump masquerading']);
  chain('endpoints-check', [
    'ip daddr . meta l4proto . th dport vmap @no-endpoint-services',
    'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports',
  ]);
  chain('firewall-check', ['ip daddr . meta l4proto . th dport vmap @firewall-ips']);
  chain('services', [
    'ip daddr . meta l4proto . th dport vmap @service-ips',
    'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports',
  ]);
  chain('masquerading', [
    `meta mark & ${MASQ_MARK} == 0 return`,
    `meta mark set meta mark ^ ${MASQ_MARK}`,
    'masquerade fully-random',
  ]);
  chain('mark-for-masquerade', [`meta mark set meta mark | ${MASQ_MARK}`]);
  chain('reject-chain', ['comment "helper for @no-endpoint-services / @no-endpoint-nodeports"', 'reject']);
  for (const [name, body] of serviceChains) chain(name, body);
  out.push('}');
  return `${out.join('\n')}\n`;
}
