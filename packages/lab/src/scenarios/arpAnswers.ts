import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, sysctl } from './labCommands.ts';

const VARIANTS = [
  'proxy-arp',
  'no-proxy-arp',
  'proxy-neigh',
  'gateway-on-lo',
  'arp-ignore',
  'arp-announce',
  'arp-filter',
  'arp-ignore-2',
  'arp-ignore-2-multi',
  'noarp-gateway',
  'noarp-pod',
] as const;
type Variant = (typeof VARIANTS)[number];

const POD_IP = '10.244.1.2';
const REMOTE_IP = '10.250.0.1';

/**
 * Who answers ARP (`arp_process`). A pod behind a node whose side of the veth (cali0) holds no
 * address, as Calico plumbs it; the node reaches a gateway namespace (10.250.0.1 on its lo) by ens3
 * and ens4. `proxy-arp`: the pod's gateway is 169.254.1.1 on-link, which nobody holds, and cali0
 * answers for it with proxy_arp (fault-free); `no-proxy-arp` forgets proxy_arp; `proxy-neigh` has
 * proxy_arp off and a proxy neighbour entry for the gateway on cali0 (`ip neigh add proxy`), which
 * answers as well (fault-free). `gateway-on-lo`:
 * the pod's gateway 10.244.1.1 sits on the node's lo, answered on cali0 by the weak host model
 * (fault-free); `arp-ignore` sets arp_ignore=1 as kube-proxy's IPVS mode asks, and nobody answers.
 * `arp-announce` and `arp-filter` (with the gateway on lo, answered): the node sends to 10.250.0.1
 * by ens4 from ens3's address; the
 * gateway answers ARP only where the route back leaves by the device asked (arp_filter), which
 * holds with arp_announce=2 on the node's ens4 (fault-free) and not without it. `arp-ignore-2`:
 * the gateway is a /32 on cali0 itself, with arp_ignore=2 (answer only where an address of the
 * device has both the target and the sender in its subnet): a /32 holds no sender, nobody answers;
 * `arp-ignore-2-multi` adds 10.244.1.5/24 to cali0, whose subnet holds both (`inet_confirm_addr`
 * looks at every address of the device, not only the target's): answered (fault-free).
 * `noarp-gateway` and `noarp-pod` are gateway-on-lo with ARP off (`ip link set … arp off`) on
 * cali0, which then answers no request, or on the pod's eth0, which asks none and sends its frames
 * to its own MAC, which cali0 does not take.
 */
export const arpAnswers: Scenario = {
  name: 'arp',
  description: 'who answers ARP: proxy_arp, arp_ignore (kube-proxy IPVS), arp_filter and arp_announce',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const pod = `${prefix}pod`;
    const node = `${prefix}node`;
    const gw = `${prefix}gw`;
    const calico = variant === 'proxy-arp' || variant === 'no-proxy-arp' || variant === 'proxy-neigh';
    const ignore2 = variant === 'arp-ignore-2' || variant === 'arp-ignore-2-multi';
    const onLo = !calico && !ignore2;
    const gateway = calico ? '169.254.1.1' : '10.244.1.1';
    const commands: string[][] = [
      sysctl(node, 'net.ipv4.ip_forward=1'),
      // The gateway namespace is the node's default router.
      sysctl(gw, 'net.ipv4.ip_forward=1'),
      ip(node, 'link', 'add', 'cali0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod),
      ip(node, 'link', 'add', 'ens3', 'type', 'veth', 'peer', 'name', 'ens3', 'netns', gw),
      ip(node, 'link', 'add', 'ens4', 'type', 'veth', 'peer', 'name', 'ens4', 'netns', gw),
      // Calico answers at once: the kernel otherwise delays proxied answers by up to 0.8 s.
      sysctl(node, 'net.ipv4.neigh.cali0.proxy_delay=0'),
      ...(variant === 'proxy-arp' ? [sysctl(node, 'net.ipv4.conf.cali0.proxy_arp=1')] : []),
      // A proxy entry for the gateway alone, proxy_arp off (the pneigh table answers just as well).
      ...(variant === 'proxy-neigh' ? [ip(node, 'neigh', 'add', 'proxy', '169.254.1.1', 'dev', 'cali0')] : []),
      ...(variant === 'arp-ignore' ? [sysctl(node, 'net.ipv4.conf.all.arp_ignore=1')] : []),
      ...(ignore2 ? [sysctl(node, 'net.ipv4.conf.all.arp_ignore=2')] : []),
      ...(variant === 'arp-ignore-2-multi' ? [ip(node, 'addr', 'add', '10.244.1.5/24', 'dev', 'cali0')] : []),
      ...(ignore2 ? [ip(node, 'addr', 'add', `${gateway}/32`, 'dev', 'cali0')] : []),
      ...(variant === 'arp-announce' ? [sysctl(node, 'net.ipv4.conf.ens4.arp_announce=2')] : []),
      ...(variant === 'noarp-gateway' ? [ip(node, 'link', 'set', 'cali0', 'arp', 'off')] : []),
      ...(variant === 'noarp-pod' ? [ip(pod, 'link', 'set', 'eth0', 'arp', 'off')] : []),
      ...(variant === 'arp-announce' || variant === 'arp-filter' ? [sysctl(gw, 'net.ipv4.conf.all.arp_filter=1')] : []),
      ip(pod, 'link', 'set', 'lo', 'up'),
      ip(pod, 'addr', 'add', calico ? `${POD_IP}/32` : `${POD_IP}/24`, 'dev', 'eth0'),
      ip(pod, 'link', 'set', 'eth0', 'up'),
      ...(calico ? [ip(pod, 'route', 'add', gateway, 'dev', 'eth0', 'scope', 'link')] : []),
      ip(pod, 'route', 'add', 'default', 'via', gateway, 'dev', 'eth0'),
      ...(onLo ? [ip(node, 'addr', 'add', `${gateway}/32`, 'dev', 'lo')] : []),
      ip(node, 'addr', 'add', '192.168.70.1/24', 'dev', 'ens3'),
      ip(node, 'addr', 'add', '192.168.80.1/24', 'dev', 'ens4'),
      ...['cali0', 'ens3', 'ens4', 'lo'].map((d) => ip(node, 'link', 'set', d, 'up')),
      ip(node, 'route', 'add', `${POD_IP}/32`, 'dev', 'cali0', 'scope', 'link'),
      ip(gw, 'addr', 'add', '192.168.70.2/24', 'dev', 'ens3'),
      ip(gw, 'addr', 'add', '192.168.80.2/24', 'dev', 'ens4'),
      ip(gw, 'addr', 'add', `${REMOTE_IP}/32`, 'dev', 'lo'),
      ...['ens3', 'ens4', 'lo'].map((d) => ip(gw, 'link', 'set', d, 'up')),
      ip(gw, 'route', 'add', '10.244.1.0/24', 'via', '192.168.70.1', 'dev', 'ens3'),
      // The node reaches 10.250.0.1 by ens4, speaking from ens3's address.
      ip(node, 'route', 'add', REMOTE_IP, 'via', '192.168.80.2', 'dev', 'ens4', 'src', '192.168.70.1'),
      ip(node, 'route', 'add', 'default', 'via', '192.168.70.2', 'dev', 'ens3'),
    ];
    const flow = (ns: string, host: string, to: string, expectDrop?: string): Flow => ({
      from: { host, netns: ns },
      to,
      pingNetns: ns,
      ...(expectDrop ? { expectDrop } : {}),
    });
    const s = (host: string, ns: string, dev: string): string => `${host}/${ns}/${dev}`;
    const podFlows = (drop?: string): Flow[] => [
      flow(pod, 'node', REMOTE_IP, drop),
      flow(pod, 'node', '192.168.70.1', drop),
    ];
    const flows: Record<Variant, Flow[]> = {
      'proxy-arp': podFlows(),
      'no-proxy-arp': podFlows('NEIGH_FAILED'),
      'proxy-neigh': podFlows(),
      'gateway-on-lo': podFlows(),
      'arp-ignore': podFlows('NEIGH_FAILED'),
      // Only the node's own ping: once any packet resolves the gateway, the node's would pass too.
      'arp-announce': [flow(node, 'node', REMOTE_IP)],
      'arp-filter': [flow(node, 'node', REMOTE_IP, 'NEIGH_FAILED')],
      // Only to the node's own address: the gateway's ARP for the node on the way back speaks from
      // 10.250.0.1 (arp_announce 0), in no subnet of ens3, and arp_ignore=2 ignores it too.
      'arp-ignore-2': [flow(pod, 'node', '192.168.70.1', 'NEIGH_FAILED')],
      'arp-ignore-2-multi': [flow(pod, 'node', '192.168.70.1')],
      'noarp-gateway': podFlows('NEIGH_FAILED'),
      'noarp-pod': podFlows('OTHERHOST'),
    };
    const expected: Record<Variant, ExpectedFinding[]> = {
      'proxy-arp': [],
      'no-proxy-arp': [{ rule: 'arp-unanswered', subjects: [s('node', node, 'cali0'), s('node', pod, 'eth0')] }],
      'proxy-neigh': [],
      'gateway-on-lo': [],
      'arp-ignore': [{ rule: 'arp-unanswered', subjects: [s('node', node, 'cali0'), s('node', pod, 'eth0')] }],
      'arp-announce': [],
      'arp-filter': [{ rule: 'arp-unanswered', subjects: [s('gw', gw, 'ens4'), s('node', node, 'ens4')] }],
      'arp-ignore-2': [{ rule: 'arp-unanswered', subjects: [s('node', node, 'cali0'), s('node', pod, 'eth0')] }],
      'arp-ignore-2-multi': [],
      'noarp-gateway': [{ rule: 'arp-unanswered', subjects: [s('node', node, 'cali0'), s('node', pod, 'eth0')] }],
      'noarp-pod': [],
    };
    return {
      scenario: 'arp',
      variant,
      prefix,
      namespaces: [pod, node, gw],
      commands,
      hostMap: {
        hosts: [
          { name: 'node', kind: 'node', root: node, netns: [pod] },
          { name: 'gw', kind: 'other', root: gw, netns: [] },
        ],
      },
      flows: flows[variant],
      expected: expected[variant],
    };
  },
};
