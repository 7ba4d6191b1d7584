import { iptablesSaveText, kubeProxyTables, type KubeService } from '@hoplens/model/testing/kubeProxy';
import { kubeProxyNftScript } from '@hoplens/model/testing/kubeProxyNftScript';
import { labFilesDir } from '../prefix.ts';
import type { Connect, ExpectedFinding, Flow, L4Server, LabPlan, Scenario } from '../scenario.ts';
import { bridgedNodes } from './bridgedNodes.ts';
import { ip, iptables, sysctl } from './labCommands.ts';

/**
 * The faults; each runs with kube-proxy's iptables rules, and with its nftables table as `FAULT-nft`.
 * `etp-local` and `itp-local-lb` are fault-free: they add Services with externalTrafficPolicy Local,
 * and with internalTrafficPolicy Local beside a LoadBalancer IP with source ranges (two variants: a
 * test's minute holds their flows under load).
 */
const FAULTS = [
  'ok',
  'endpoint-dropped',
  'no-dnat',
  'node-unreachable',
  'no-masquerade',
  'etp-local',
  'itp-local-lb',
] as const;
type Fault = (typeof FAULTS)[number];
const VARIANTS = [...FAULTS, ...FAULTS.map((f) => `${f}-nft`)];

/** The Services' endpoints: pod 3 of node-a (its reply is bridged back), both pods of node-b (routed). */
const ENDPOINTS = ['10.244.1.3', '10.244.2.2', '10.244.2.3'] as const;
/** The endpoint each faulty variant breaks. */
const BROKEN = '10.244.2.3';
/** node-a's underlay address: node-b reaches web's NodePort there. */
const NODE_A = '192.168.210.1';
/** web's ExternalIP: held by no node, routed to node-a (as a router in front of the cluster would). */
const EXTERNAL_IP = '203.0.113.10';
const NODE_PORT = 30080;
/** empty's NodePort: without endpoints, kube-proxy rejects it as it does the ClusterIP. */
const EMPTY_NODE_PORT = 30020;
const WEB: KubeService = {
  namespace: 'default',
  name: 'web',
  port: 80,
  targetPort: 8080,
  clusterIp: '10.96.0.10',
  nodePort: NODE_PORT,
  externalIps: [EXTERNAL_IP],
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
/** Every endpoint on node-b: node-unreachable takes them all away. */
const DB: KubeService = {
  namespace: 'default',
  name: 'db',
  port: 5432,
  targetPort: 8080,
  clusterIp: '10.96.0.32',
  endpoints: ['10.244.2.2', '10.244.2.3'],
};
/** No endpoints: kube-proxy rejects its connections (filter KUBE-SERVICES REJECT / reject-chain). */
const EMPTY: KubeService = {
  namespace: 'default',
  name: 'empty',
  port: 80,
  clusterIp: '10.96.0.20',
  nodePort: EMPTY_NODE_PORT,
  endpoints: [],
};
/**
 * The client's own Service: its only endpoint is the client pod, so the connection hairpins back
 * into it, and only kube-proxy's masquerade (the endpoint chain marks a source equal to the
 * endpoint) keeps it from arriving with the pod's own address as its source.
 */
const SELF: KubeService = {
  namespace: 'default',
  name: 'self',
  port: 80,
  targetPort: 8080,
  clusterIp: '10.96.0.40',
  endpoints: ['10.244.1.2'],
};
const SERVICES = [WEB, DNS, DB, EMPTY, SELF];

/** node-a's own endpoint of the Services below; the others run on node-b. */
const ON_NODE_A = ['10.244.1.3'];
const LOCAL_NODE_PORT = 30090;
const REMOTE_NODE_PORT = 30091;
/** externalTrafficPolicy Local, an endpoint on node-a: node-b reaches only it, its source kept. */
const LWEB: KubeService = {
  namespace: 'default',
  name: 'lweb',
  port: 80,
  targetPort: 8080,
  clusterIp: '10.96.0.70',
  nodePort: LOCAL_NODE_PORT,
  externalLocal: true,
  endpoints: ['10.244.1.3', '10.244.2.2'],
  localEndpoints: ON_NODE_A,
};
/** externalTrafficPolicy Local, every endpoint on node-b: node-a drops its NodePort from outside, not from its pods. */
const LREMOTE: KubeService = {
  ...LWEB,
  name: 'lremote',
  clusterIp: '10.96.0.71',
  nodePort: REMOTE_NODE_PORT,
  endpoints: ['10.244.2.2', '10.244.2.3'],
};
/** internalTrafficPolicy Local: node-a's pods reach only node-a's endpoint. */
const INNER: KubeService = {
  namespace: 'default',
  name: 'inner',
  port: 80,
  targetPort: 8080,
  clusterIp: '10.96.0.72',
  internalLocal: true,
  endpoints: ['10.244.1.3', '10.244.2.2'],
  localEndpoints: ON_NODE_A,
};
/** internalTrafficPolicy Local, no endpoint on node-a: its ClusterIP is dropped there. */
const INNER_REMOTE: KubeService = {
  ...INNER,
  name: 'inner-remote',
  clusterIp: '10.96.0.74',
  endpoints: ['10.244.2.2'],
};
/** A LoadBalancer IP routed to node-a, open to node-b's pods only (loadBalancerSourceRanges). */
const LB_IP = '203.0.113.20';
const LB: KubeService = {
  namespace: 'default',
  name: 'lb',
  port: 80,
  targetPort: 8080,
  clusterIp: '10.96.0.73',
  loadBalancerIps: [LB_IP],
  loadBalancerSourceRanges: ['10.244.2.0/24'],
  endpoints: ['10.244.1.3', '10.244.2.3'],
};
/** The Services each fault-free extra variant adds. */
const EXTRA_SERVICES: Partial<Record<Fault, readonly KubeService[]>> = {
  'etp-local': [LWEB, LREMOTE],
  'itp-local-lb': [INNER, INNER_REMOTE, LB],
};

/** kube-proxy's rules on node-a for a fault: iptables-restore input, or an `nft -f` script. */
function kubeProxyRules(fault: Fault, nft: boolean): string {
  const services = [...SERVICES, ...(EXTRA_SERVICES[fault] ?? [])];
  if (nft) {
    return kubeProxyNftScript(services, undefined, {
      ...(fault === 'no-dnat' ? { noDnatTo: [BROKEN] } : {}),
      ...(fault === 'no-masquerade' ? { noMasquerade: true } : {}),
    });
  }
  const dnatToBroken = (args: readonly string[]): boolean =>
    args.includes('DNAT') && args.some((a) => a.startsWith(`${BROKEN}:`));
  const toKubePostrouting = (chain: string, args: readonly string[]): boolean =>
    chain === 'POSTROUTING' && args.at(-1) === 'KUBE-POSTROUTING';
  const tables = kubeProxyTables(services, undefined, NODE_A).map((t) => ({
    ...t,
    rules: t.rules.filter(
      (r) =>
        !(fault === 'no-dnat' && dnatToBroken(r.args)) &&
        !(fault === 'no-masquerade' && toKubePostrouting(r.chain, r.args)),
    ),
  }));
  return iptablesSaveText(tables);
}

/**
 * The bridged nodes with four Services, as kube-proxy programs them on node-a in iptables mode
 * (KUBE-SERVICES → KUBE-SVC-… picking one endpoint at random → KUBE-SEP-… DNAT) or, for the `-nft`
 * variants, in nftables mode (`service-ips` vmap → `numgen random mod N vmap` → endpoint chain
 * DNAT); real TCP and UDP servers in the endpoint pods, and pod 2 of node-a as the client. web and
 * dns have three endpoints, db both pods of node-b, empty none (kube-proxy rejects it). Faults: a
 * NetworkPolicy-style FORWARD drop of one endpoint's ports; one endpoint without its DNAT (the
 * ClusterIP then leaves unrewritten, and node-b has no route for it); node-a without its routes to
 * node-b (its pod subnet, and the default route through it: db's endpoints all unreachable); node-a's postrouting without kube-proxy's masquerade (the client's
 * connection to its own Service comes back from its own address). `etp-local`: node-b's root
 * reaches an externalTrafficPolicy Local NodePort on node-a (node-a's own endpoint only, seeing
 * node-b's address; dropped where node-a has none, while node-a's pods still reach node-b's).
 * `itp-local-lb`: node-a's pods reach an internalTrafficPolicy Local ClusterIP (only node-a's
 * endpoint; dropped without one), and node-b a LoadBalancer IP routed to node-a whose source ranges
 * admit node-b's pods, not node-b's root. The agreement suite connects for real, repeatedly, until the kernel
 * has shown each endpoint's fate, and, where a flow names its client's address, which source each
 * endpoint saw.
 */
export const kubeService: Scenario = {
  name: 'kube-service',
  description:
    'kube-proxy NAT (iptables, or nftables in -nft variants) to TCP and UDP Services, real servers behind them',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const nftMode = variantName.endsWith('-nft');
    const fault = variantName.replace(/-nft$/, '') as Fault;
    const na = `${prefix}na`;
    const nb = `${prefix}nb`;
    const base = bridgedNodes.plan(prefix, 'ok');
    const routeToNodeB = (c: readonly string[]): boolean =>
      c.join(' ').startsWith(`ip -n ${na} route add 10.244.2.0/24 via`);
    const client = `${na}-p2`;
    const podNs: Record<(typeof ENDPOINTS)[number], string> = {
      '10.244.1.3': `${na}-p3`,
      '10.244.2.2': `${nb}-p2`,
      '10.244.2.3': `${nb}-p3`,
    };
    const rules = `${labFilesDir(prefix)}/node-a/kube-proxy.${nftMode ? 'nft' : 'rules'}`;
    const commands: string[][] = [
      ...base.commands.filter((c) => fault !== 'node-unreachable' || !routeToNodeB(c)).map((c) => [...c]),
      // A node has a default route (here through node-b): a ClusterIP without endpoints is then
      // forwarded, and meets kube-proxy's reject in the filter forward hook rather than no route.
      ...(fault === 'node-unreachable' ? [] : [ip(na, 'route', 'add', 'default', 'via', '192.168.210.2')]),
      ip(nb, 'route', 'add', `${EXTERNAL_IP}/32`, 'via', NODE_A),
      ...(fault === 'itp-local-lb' ? [ip(nb, 'route', 'add', `${LB_IP}/32`, 'via', NODE_A)] : []),
      // The endpoint on node-a answers its neighbour pod over the bridge: br_netfilter un-NATs that reply.
      sysctl(na, 'net.bridge.bridge-nf-call-iptables=1'),
      // As the bridge CNI's hairpinMode does for Kubernetes: a pod may reach itself through a Service.
      ...[2, 3].map((p) => ['bridge', '-n', na, 'link', 'set', 'dev', `veth${p}`, 'hairpin', 'on']),
      ['ip', 'netns', 'exec', na, ...(nftMode ? ['nft', '-f'] : ['iptables-nft-restore']), rules],
    ];
    if (fault === 'endpoint-dropped') {
      for (const [proto, port] of [
        ['tcp', '8080'],
        ['udp', '5353'],
      ] as const)
        commands.push(iptables(na, '-I', 'FORWARD', '-d', `${BROKEN}/32`, '-p', proto, '--dport', port, '-j', 'DROP'));
    }
    const servers: L4Server[] = [
      ...ENDPOINTS.flatMap((ip) => [
        { netns: podNs[ip], proto: 'tcp' as const, port: 8080, answer: ip },
        { netns: podNs[ip], proto: 'udp' as const, port: 5353, answer: ip },
      ]),
      { netns: client, proto: 'tcp', port: 8080, answer: '10.244.1.2' },
    ];
    const flow = (to: string, connect: Connect): Flow => ({
      from: { host: 'node-a', netns: client },
      to,
      pingNetns: client,
      connect,
    });
    const fromNodeB = (to: string, connect: Connect): Flow => ({
      from: { host: 'node-b', netns: nb },
      to,
      pingNetns: nb,
      connect,
    });
    const fromNodeBPod = (to: string, connect: Connect): Flow => ({
      from: { host: 'node-b', netns: `${nb}-p2` },
      to,
      pingNetns: `${nb}-p2`,
      connect,
    });
    const tcp80 = { proto: 'tcp', port: 80 } as const;
    /** externalTrafficPolicy Local (`etp-local` variants), checked from both nodes. */
    const etpFlows: Flow[] = [
      // From outside node-a: only its own endpoint, and it sees node-b's address (no SNAT).
      {
        ...fromNodeB(NODE_A, { proto: 'tcp', port: LOCAL_NODE_PORT }),
        clientAddress: '192.168.210.2',
      },
      // No endpoint on node-a: "has no local endpoints", dropped in the input hook.
      { ...fromNodeB(NODE_A, { proto: 'tcp', port: REMOTE_NODE_PORT }), expectDrop: 'NETFILTER_DROP' },
      // node-a's own pods short-circuit to the cluster policy: node-b's endpoints, unmasqueraded.
      { ...flow(NODE_A, { proto: 'tcp', port: REMOTE_NODE_PORT }), clientAddress: '10.244.1.2' },
    ];
    /**
     * internalTrafficPolicy Local, from node-a's pod; and the LoadBalancer IP: node-b's pods are in
     * its source ranges (masqueraded on), node-b is not (`itp-local-lb` variants).
     */
    const itpLbFlows: Flow[] = [
      { ...flow(INNER.clusterIp, tcp80), service: 'default/inner:p80' },
      { ...flow(INNER_REMOTE.clusterIp, tcp80), expectDrop: 'NETFILTER_DROP' },
      { ...fromNodeBPod(LB_IP, tcp80), clientAddress: '10.244.2.2' },
      { ...fromNodeB(LB_IP, tcp80), expectDrop: 'NETFILTER_DROP' },
    ];
    /** The kernel's drop reason for a fault's failing connections (measured with skb:kfree_skb). */
    const FAULT_DROP: Partial<Record<Fault, string>> = {
      'endpoint-dropped': 'NETFILTER_DROP',
      'no-dnat': 'IP_INNOROUTES',
      'node-unreachable': 'IP_INNOROUTES',
    };
    const drop = (fails: boolean, reason = FAULT_DROP[fault]): Pick<Flow, 'expectDrop'> =>
      fails && reason !== undefined ? { expectDrop: reason } : {};
    const partly = fault === 'endpoint-dropped' || fault === 'no-dnat' || fault === 'node-unreachable';
    // The extra variants check their own Services only: `ok` checks the others without them.
    const own = fault === 'etp-local' ? etpFlows : fault === 'itp-local-lb' ? itpLbFlows : undefined;
    const flows: Flow[] =
      own !== undefined
        ? own
        : [
            // Services traced by the names kube-proxy's rules give them; connections go to their ClusterIPs.
            { ...flow(WEB.clusterIp, { proto: 'tcp', port: WEB.port }), service: 'default/web:p80', ...drop(partly) },
            { ...flow(DNS.clusterIp, { proto: 'udp', port: DNS.port }), ...drop(partly) },
            { ...flow(DB.clusterIp, { proto: 'tcp', port: DB.port }), service: 'default/db:p5432', ...drop(partly) },
            {
              ...flow(EMPTY.clusterIp, { proto: 'tcp', port: EMPTY.port }),
              refusedAlways: 'default/empty has no endpoints: kube-proxy rejects its connections',
              // reject answers ICMP port unreachable, the SYN itself dropped by nf_tables; without a
              // default route the ClusterIP is not even routed to the forward hook.
              expectDrop: fault === 'node-unreachable' ? 'IP_INNOROUTES' : 'NETFILTER_DROP',
            },
            {
              ...flow(BROKEN, { proto: 'tcp', port: 8080 }),
              ...drop(fault === 'endpoint-dropped' || fault === 'node-unreachable'),
            },
            {
              ...flow(SELF.clusterIp, { proto: 'tcp', port: SELF.port }),
              service: 'default/self:p80',
              ...drop(fault === 'no-masquerade', 'IP_LOCAL_SOURCE'),
            },
            // From outside node-a (node-b's root, where no kube-proxy rule applies): the NodePort on
            // node-a's address and the ExternalIP routed to it, both DNATed and masqueraded by node-a, whose
            // conntrack un-NATs the replies (node-b's endpoints answer node-a, not node-b).
            ...(fault === 'ok' || fault === 'endpoint-dropped'
              ? [
                  ...[NODE_A, EXTERNAL_IP].map((to): Flow => ({
                    ...fromNodeB(to, { proto: 'tcp', port: to === NODE_A ? NODE_PORT : WEB.port }),
                    ...drop(fault === 'endpoint-dropped'),
                  })),
                  {
                    ...fromNodeB(NODE_A, { proto: 'tcp', port: EMPTY_NODE_PORT }),
                    refusedAlways: "default/empty has no endpoints: kube-proxy rejects its NodePort's connections",
                    // In the input hook (filter KUBE-EXTERNAL-SERVICES, nft endpoints-check): the SYN dropped, answered by ICMP.
                    expectDrop: 'NETFILTER_DROP',
                  },
                ]
              : []),
          ];
    // node-a's pod traffic to node-b meets no route: the rule that checks pods' routes names node-a.
    const expected: ExpectedFinding[] =
      fault === 'node-unreachable'
        ? [{ rule: 'route-missing', subjects: [`node-a/${na}`] }]
        : fault === 'no-masquerade'
          ? [{ rule: 'kube-proxy-masquerade-missing', subjects: [`node-a/${na}`] }]
          : [];
    return {
      scenario: 'kube-service',
      variant: variantName,
      prefix,
      namespaces: base.namespaces,
      commands,
      files: [{ path: rules, content: kubeProxyRules(fault, nftMode) }],
      hostMap: base.hostMap,
      servers,
      flows,
      expected,
    };
  },
};
