import { iptablesSaveText, kubeProxyTables, type KubeService } from '@hoplens/model/testing/kubeProxy';
import { labFilesDir } from '../prefix.ts';
import type { Connect, ExpectedFinding, Flow, L4Server, LabPlan, Scenario } from '../scenario.ts';
import { bridgedNodes } from './bridgedNodes.ts';
import { iptables, sysctl } from './labCommands.ts';

const VARIANTS = ['ok', 'endpoint-dropped', 'no-dnat'] as const;
type Variant = (typeof VARIANTS)[number];

/** The Services' endpoints: pod 3 of node-a (its reply is bridged back), both pods of node-b (routed). */
const ENDPOINTS = ['10.244.1.3', '10.244.2.2', '10.244.2.3'] as const;
/** The endpoint each faulty variant breaks. */
const BROKEN = '10.244.2.3';
const WEB: KubeService = {
  namespace: 'default',
  name: 'web',
  port: 80,
  targetPort: 8080,
  clusterIp: '10.96.0.10',
  endpoints: ENDPOINTS,
};
const DNS: KubeService = {
  namespace: 'default',
  name: 'dns',
  port: 53,
  protocol: 'udp',
  targetPort: 5353,
  clusterIp: '10.96.0.53',
  endpoints: ENDPOINTS,
};

/**
 * The bridged nodes with two Services, as kube-proxy's iptables mode programs them on node-a
 * (KUBE-SERVICES → KUBE-SVC-… picking one of three endpoints at random → KUBE-SEP-… DNAT), real
 * TCP and UDP servers in the endpoint pods, and pod 2 of node-a as the client. Variants: fault-free;
 * a NetworkPolicy-style FORWARD drop of one endpoint's ports; one KUBE-SEP chain without its DNAT
 * (the ClusterIP then leaves unrewritten and has no route). The agreement suite connects for real,
 * repeatedly, until the kernel has shown each endpoint's fate.
 */
export const kubeService: Scenario = {
  name: 'kube-service',
  description: 'kube-proxy iptables NAT to a TCP and a UDP Service with three endpoints, real servers behind them',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const base = bridgedNodes.plan(prefix, 'ok');
    const na = `${prefix}na`;
    const nb = `${prefix}nb`;
    const client = `${na}-p2`;
    const podNs: Record<(typeof ENDPOINTS)[number], string> = {
      '10.244.1.3': `${na}-p3`,
      '10.244.2.2': `${nb}-p2`,
      '10.244.2.3': `${nb}-p3`,
    };
    const dnatToBroken = (args: readonly string[]): boolean =>
      args.includes('DNAT') && args.some((a) => a.startsWith(`${BROKEN}:`));
    const tables = kubeProxyTables([WEB, DNS]).map((t) =>
      variant === 'no-dnat' ? { ...t, rules: t.rules.filter((r) => !dnatToBroken(r.args)) } : t,
    );
    const rules = `${labFilesDir(prefix)}/node-a/kube-proxy.rules`;
    const commands: string[][] = [
      ...base.commands.map((c) => [...c]),
      // The endpoint on node-a answers its neighbour pod over the bridge: br_netfilter un-NATs that reply.
      sysctl(na, 'net.bridge.bridge-nf-call-iptables=1'),
      ['ip', 'netns', 'exec', na, 'iptables-nft-restore', rules],
    ];
    if (variant === 'endpoint-dropped') {
      for (const [proto, port] of [
        ['tcp', '8080'],
        ['udp', '5353'],
      ] as const)
        commands.push(iptables(na, '-I', 'FORWARD', '-d', `${BROKEN}/32`, '-p', proto, '--dport', port, '-j', 'DROP'));
    }
    const servers: L4Server[] = ENDPOINTS.flatMap((ip) => [
      { netns: podNs[ip], proto: 'tcp' as const, port: 8080, answer: ip },
      { netns: podNs[ip], proto: 'udp' as const, port: 5353, answer: ip },
    ]);
    const flow = (to: string, connect: Connect): Flow => ({
      from: { host: 'node-a', netns: client },
      to,
      pingNetns: client,
      connect,
    });
    const flows: Flow[] = [
      // The web Service traced by the name kube-proxy's comment gives it; connections go to its ClusterIP.
      { ...flow(WEB.clusterIp, { proto: 'tcp', port: WEB.port }), service: 'default/web:p80' },
      flow(DNS.clusterIp, { proto: 'udp', port: DNS.port }),
      flow(BROKEN, { proto: 'tcp', port: 8080 }),
    ];
    const expected: ExpectedFinding[] = [];
    return {
      scenario: 'kube-service',
      variant,
      prefix,
      namespaces: base.namespaces,
      commands,
      files: [{ path: rules, content: iptablesSaveText(tables) }],
      hostMap: base.hostMap,
      servers,
      flows,
      expected,
    };
  },
};
