import { describe, expect, it } from 'vitest';
import {
  kubeProxyNftScript,
  nftExternalChain,
  nftFirewallChain,
  nftLocalChain,
  nftServiceChain,
} from './kubeProxyNft.ts';
import { chainHash, iptablesSaveText, kubeProxyTables, type KubeService } from './kubeProxyRuleset.ts';

/** externalTrafficPolicy Local, one endpoint on this node and one elsewhere. */
const LOCAL: KubeService = {
  namespace: 'default',
  name: 'lweb',
  port: 80,
  targetPort: 8080,
  clusterIp: '10.96.0.70',
  nodePort: 30090,
  externalLocal: true,
  endpoints: ['10.244.1.3', '10.244.2.2'],
  localEndpoints: ['10.244.1.3'],
};
/** The same, every endpoint elsewhere. */
const REMOTE: KubeService = { ...LOCAL, name: 'lremote', clusterIp: '10.96.0.71', nodePort: 30091, localEndpoints: [] };
/** internalTrafficPolicy Local, ClusterIP only. */
const INNER: KubeService = {
  namespace: 'default',
  name: 'inner',
  port: 80,
  clusterIp: '10.96.0.72',
  internalLocal: true,
  endpoints: ['10.244.1.3', '10.244.2.2'],
  localEndpoints: ['10.244.1.3'],
};
const LB: KubeService = {
  namespace: 'default',
  name: 'lb',
  port: 80,
  clusterIp: '10.96.0.73',
  loadBalancerIps: ['203.0.113.20'],
  loadBalancerSourceRanges: ['10.244.2.0/24', '192.168.210.0/24'],
  endpoints: ['10.244.2.3'],
};

const h = (s: KubeService): string => chainHash(`${s.namespace}/${s.name}:p${s.port}tcp`);
const rulesOf = (text: string, chain: string): string[] => text.split('\n').filter((l) => l.startsWith(`-A ${chain} `));

describe("kube-proxy's iptables rules for the Local traffic policies, as proxier.go writes them", () => {
  it('externalTrafficPolicy Local: KUBE-EXT-… short-circuits pods and the node to KUBE-SVC-…, the rest goes unmasqueraded to KUBE-SVL-…', () => {
    const text = iptablesSaveText(kubeProxyTables([LOCAL]));
    const x = h(LOCAL);
    expect(rulesOf(text, `KUBE-EXT-${x}`)).toEqual([
      `-A KUBE-EXT-${x} -s 10.244.0.0/16 -m comment --comment "pod traffic for default/lweb:p80 external destinations" -j KUBE-SVC-${x}`,
      `-A KUBE-EXT-${x} -m comment --comment "masquerade LOCAL traffic for default/lweb:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A KUBE-EXT-${x} -m comment --comment "route LOCAL traffic for default/lweb:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-${x}`,
      `-A KUBE-EXT-${x} -j KUBE-SVL-${x}`,
    ]);
    // The local-policy chain: this node's endpoint only, and no masquerade mark.
    expect(rulesOf(text, `KUBE-SVL-${x}`)).toEqual([
      expect.stringMatching(
        new RegExp(`^-A KUBE-SVL-${x} -m comment --comment "default/lweb:p80 -> 10\\.244\\.1\\.3:8080" -j KUBE-SEP-`),
      ),
    ]);
    // The cluster-policy chain keeps every endpoint (the short-circuited pods use it).
    expect(rulesOf(text, `KUBE-SVC-${x}`)).toHaveLength(3);
    expect(text).not.toContain('has no local endpoints');
  });

  it('externalTrafficPolicy Local without a local endpoint: KUBE-EXT-… ends unDNATed, filter KUBE-EXTERNAL-SERVICES DROPs the NodePort', () => {
    const text = iptablesSaveText(kubeProxyTables([REMOTE]));
    const x = h(REMOTE);
    expect(rulesOf(text, `KUBE-EXT-${x}`)).toHaveLength(3);
    expect(text).not.toContain(`KUBE-SVL-${x}`);
    expect(text).toContain(
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/lremote:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30091 -j DROP',
    );
    // The ClusterIP is not affected by the external policy.
    expect(text).toContain(
      `-A KUBE-SERVICES -d 10.96.0.71/32 -p tcp -m comment --comment "default/lremote:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-${x}`,
    );
  });

  it('internalTrafficPolicy Local: the ClusterIP goes to KUBE-SVL-… (which masquerades off-cluster sources), or is DROPped in filter KUBE-SERVICES', () => {
    const x = h(INNER);
    const text = iptablesSaveText(kubeProxyTables([INNER]));
    expect(text).toContain(
      `-A KUBE-SERVICES -d 10.96.0.72/32 -p tcp -m comment --comment "default/inner:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVL-${x}`,
    );
    expect(rulesOf(text, `KUBE-SVL-${x}`)[0]).toBe(
      `-A KUBE-SVL-${x} ! -s 10.244.0.0/16 -d 10.96.0.72/32 -p tcp -m comment --comment "default/inner:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
    );
    expect(text).not.toContain(`KUBE-SVC-${x}`);
    expect(text.match(/-j DNAT/g)).toHaveLength(1);
    const none = iptablesSaveText(kubeProxyTables([{ ...INNER, localEndpoints: [] }]));
    expect(none).toContain(
      '-A KUBE-SERVICES -d 10.96.0.72/32 -p tcp -m comment --comment "default/inner:p80 has no local endpoints" -m tcp --dport 80 -j DROP',
    );
    expect(none).not.toContain('-j DNAT');
  });

  it('a LoadBalancer IP with source ranges: KUBE-SERVICES → KUBE-FW-… → KUBE-EXT-…, the rest dropped by filter KUBE-PROXY-FIREWALL', () => {
    const x = h(LB);
    const text = iptablesSaveText(kubeProxyTables([LB], undefined, '192.168.210.1'));
    expect(text).toContain(
      `-A KUBE-SERVICES -d 203.0.113.20/32 -p tcp -m comment --comment "default/lb:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-FW-${x}`,
    );
    expect(rulesOf(text, `KUBE-FW-${x}`)).toEqual([
      `-A KUBE-FW-${x} -s 10.244.2.0/24 -m comment --comment "default/lb:p80 loadbalancer IP" -j KUBE-EXT-${x}`,
      `-A KUBE-FW-${x} -s 192.168.210.0/24 -m comment --comment "default/lb:p80 loadbalancer IP" -j KUBE-EXT-${x}`,
      // A range holds the node's IP: the LoadBalancer IP itself is let in as a source (allowFromNode).
      `-A KUBE-FW-${x} -s 203.0.113.20/32 -m comment --comment "default/lb:p80 loadbalancer IP" -j KUBE-EXT-${x}`,
      `-A KUBE-FW-${x} -m comment --comment "other traffic to default/lb:p80 will be dropped by KUBE-PROXY-FIREWALL"`,
    ]);
    expect(text).toContain(
      `-A KUBE-PROXY-FIREWALL -d 203.0.113.20/32 -p tcp -m comment --comment "default/lb:p80 traffic not accepted by KUBE-FW-${x}" -m tcp --dport 80 -j DROP`,
    );
    // Without source ranges the LoadBalancer IP goes straight to KUBE-EXT-….
    const open = iptablesSaveText(kubeProxyTables([{ ...LB, loadBalancerSourceRanges: [] }]));
    expect(open).toContain(`--comment "default/lb:p80 loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-${x}`);
    expect(open).not.toContain('KUBE-FW-');
  });
});

describe("kube-proxy's nftables table for the Local traffic policies and LoadBalancer IPs, as proxier.go writes it", () => {
  it('externalTrafficPolicy Local: external-… short-circuits pods and the node, then goes to local-…', () => {
    const script = kubeProxyNftScript([LOCAL]);
    expect(script).toContain(
      [
        `chain ${nftExternalChain(LOCAL)} {`,
        `\t\tip saddr 10.244.0.0/16 goto ${nftServiceChain(LOCAL)} comment "short-circuit pod traffic"`,
        '\t\tfib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
        `\t\tfib saddr type local goto ${nftServiceChain(LOCAL)} comment "short-circuit local traffic"`,
        `\t\tgoto ${nftLocalChain(LOCAL)}`,
        '\t}',
      ].join('\n'),
    );
    expect(script).toMatch(
      new RegExp(
        `chain ${nftLocalChain(LOCAL)} \\{\\n\\t\\tnumgen random mod 1 vmap \\{ 0 : goto endpoint-[A-Z2-7]{8}-default/lweb/tcp/p80__10\\.244\\.1\\.3/8080 \\}\\n`,
      ),
    );
    expect(script).toContain(`tcp . 30090 : goto ${nftExternalChain(LOCAL)}`);
  });

  it('without a local endpoint external-… ends without a policy chain and no-endpoint-nodeports drops the NodePort', () => {
    const script = kubeProxyNftScript([REMOTE]);
    expect(script).toContain('tcp . 30091 comment "default/lremote:p80" : drop');
    expect(script).not.toContain(`goto ${nftLocalChain(REMOTE)}`);
    expect(script).not.toContain(`chain ${nftLocalChain(REMOTE)}`);
  });

  it('internalTrafficPolicy Local: service-ips sends the ClusterIP to local-…, or no-endpoint-services drops it', () => {
    expect(kubeProxyNftScript([INNER])).toContain(`10.96.0.72 . tcp . 80 : goto ${nftLocalChain(INNER)}`);
    const none = kubeProxyNftScript([{ ...INNER, localEndpoints: [] }]);
    expect(none).toContain('10.96.0.72 . tcp . 80 comment "default/inner:p80" : drop');
    expect(none).not.toContain('dnat to');
  });

  it('a LoadBalancer IP: service-ips to external-…, and firewall-ips to firewall-…, which drops other sources', () => {
    const script = kubeProxyNftScript([LB]);
    expect(script).toContain(`203.0.113.20 . tcp . 80 : goto ${nftExternalChain(LB)}`);
    expect(script).toContain(`203.0.113.20 . tcp . 80 : goto ${nftFirewallChain(LB)}`);
    expect(script).toContain(
      `chain ${nftFirewallChain(LB)} {\n\t\tip saddr != { 10.244.2.0/24, 192.168.210.0/24 } drop\n\t}`,
    );
  });
});
