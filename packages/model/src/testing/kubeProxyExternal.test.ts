import { describe, expect, it } from 'vitest';
import { kubeProxyNftScript, nftExternalChain, nftServiceChain } from './kubeProxyNft.ts';
import { chainHash, iptablesSaveText, kubeProxyTables, type KubeService } from './kubeProxyRuleset.ts';

const WEB: KubeService = {
  namespace: 'default',
  name: 'web',
  port: 80,
  clusterIp: '10.96.0.10',
  nodePort: 30080,
  externalIps: ['203.0.113.10'],
  endpoints: ['10.244.1.3'],
};
const EMPTY: KubeService = { ...WEB, name: 'empty', clusterIp: '10.96.0.20', nodePort: 30020, endpoints: [] };

describe("kube-proxy's rules for a Service's NodePort and ExternalIPs, as proxier.go writes them", () => {
  it('iptables: the external IP rule and KUBE-NODEPORTS lead to KUBE-EXT-…, which marks and goes on to KUBE-SVC-…', () => {
    const text = iptablesSaveText(kubeProxyTables([WEB]));
    const hash = chainHash('default/web:p80tcp');
    expect(text).toContain(
      `-A KUBE-SERVICES -d 203.0.113.10/32 -p tcp -m comment --comment "default/web:p80 external IP" -m tcp --dport 80 -j KUBE-EXT-${hash}`,
    );
    expect(text).toContain(
      `-A KUBE-NODEPORTS -p tcp -m comment --comment default/web:p80 -m tcp --dport 30080 -j KUBE-EXT-${hash}`,
    );
    expect(text).toContain(
      `-A KUBE-EXT-${hash} -m comment --comment "masquerade traffic for default/web:p80 external destinations" -j KUBE-MARK-MASQ\n-A KUBE-EXT-${hash} -j KUBE-SVC-${hash}\n`,
    );
  });

  it('iptables: without endpoints, both are rejected in filter KUBE-EXTERNAL-SERVICES', () => {
    const text = iptablesSaveText(kubeProxyTables([EMPTY]));
    expect(text).not.toContain('KUBE-EXT-');
    expect(text).toContain(
      '-A KUBE-EXTERNAL-SERVICES -d 203.0.113.10/32 -p tcp -m comment --comment "default/empty:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    );
    expect(text).toContain(
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/empty:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30020 -j REJECT --reject-with icmp-port-unreachable',
    );
  });

  it('nftables: service-ips and service-nodeports send them to external-…, which marks and goes to the Service chain', () => {
    const script = kubeProxyNftScript([WEB]);
    expect(nftExternalChain(WEB)).toBe(nftServiceChain(WEB).replace('service-', 'external-'));
    expect(script).toContain(`203.0.113.10 . tcp . 80 : goto ${nftExternalChain(WEB)}`);
    expect(script).toContain(`10.96.0.10 . tcp . 80 : goto ${nftServiceChain(WEB)}`);
    expect(script).toContain(`tcp . 30080 : goto ${nftExternalChain(WEB)}`);
    expect(script).toContain(
      `chain ${nftExternalChain(WEB)} {\n\t\tjump mark-for-masquerade\n\t\tgoto ${nftServiceChain(WEB)}\n\t}`,
    );
  });

  it('nftables: without endpoints, no-endpoint-services and no-endpoint-nodeports reject them', () => {
    const script = kubeProxyNftScript([EMPTY]);
    expect(script).not.toContain('external-');
    expect(script).toContain('203.0.113.10 . tcp . 80 comment "default/empty:p80" : goto reject-chain');
    expect(script).toContain('tcp . 30020 comment "default/empty:p80" : goto reject-chain');
  });
});
