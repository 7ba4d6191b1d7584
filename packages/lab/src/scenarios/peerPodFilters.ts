import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, iptables, iptablesLegacy, nft, nftBaseChain } from './labCommands.ts';
import { SEED_GATEWAY_IP, SEED_POD_IP, SEED_POD_MAC, SEED_VM_IP, SEED_WORKER_IP, seed } from './seed.ts';

const VARIANTS = [
  'iptables-drop',
  'iptables-ok',
  'nft-chain-in-iptables',
  'nft-tunnel-drop',
  'nft-tunnel-ok',
  'legacy-tunnel-drop',
  'notrack',
  'notrack-missing',
  'dual-stack',
  'dual-stack-broken',
  'jumbo-mtu',
] as const;
type Variant = (typeof VARIANTS)[number];

/** The pod network's IPv6 half, as a dual-stack CNI would give it. */
export const SEED_POD_IP6 = 'fd00:132:2::46';
export const SEED_GATEWAY_IP6 = 'fd00:132:2::1';
const VNI = '555000';

/**
 * The seed's peer pod (DESIGN §1) with packet filters where real ones sit: the pod VM's pod
 * namespace (iptables), the pod VM's root where the tunnel arrives (nftables), the worker's root
 * (iptables-legacy), cloud-api-adaptor's raw-table NOTRACK rules for the tunnel on both ends, and
 * the pod network dual-stack. Each faulty variant has a fault-free twin.
 */
export const peerPodFilters: Scenario = {
  name: 'peer-pod-filters',
  description:
    'the seed peer pod with iptables, nftables, NOTRACK rules and IPv6: a variant per filter fault, each with its twin',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const base = seed.plan(prefix, variant === 'dual-stack-broken' ? 'broken' : 'fixed');
    const worker = `${prefix}worker`;
    const pod = `${prefix}pod`;
    const vm = `${prefix}vm`;
    const podns = `${prefix}podns`;
    const commands: string[][] = [...base.commands.map((c) => [...c])];
    const w = (ns: string, dev?: string): string => `worker/${ns}${dev ? `/${dev}` : ''}`;
    const v = (ns: string, dev?: string): string => `podvm/${ns}${dev ? `/${dev}` : ''}`;
    const toPod: Flow = { from: { host: 'worker', netns: worker }, to: SEED_POD_IP, pingNetns: worker };
    const toGateway: Flow = { from: { host: 'podvm', netns: podns }, to: SEED_GATEWAY_IP, pingNetns: podns };
    const dropped = (f: Flow): Flow => ({ ...f, expectDrop: 'NETFILTER_DROP' });
    let flows: Flow[] = [toPod, toGateway];
    let expected: ExpectedFinding[] = [];
    switch (variant) {
      case 'iptables-drop':
        commands.push(iptables(podns, '-A', 'INPUT', '-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'DROP'));
        flows = [dropped(toPod), toGateway];
        expected = [{ rule: 'filter-drop', subjects: [v(podns)] }];
        break;
      case 'iptables-ok':
        // A default-deny pod: what it accepts lets both flows through (the reply to its own ping is ESTABLISHED).
        commands.push(
          iptables(podns, '-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT'),
          iptables(podns, '-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'),
          iptables(podns, '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'DROP'),
          ['ip', 'netns', 'exec', podns, 'ipset', 'create', 'hl-blocked', 'hash:net'],
          ['ip', 'netns', 'exec', podns, 'ipset', 'add', 'hl-blocked', '10.99.0.0/16'],
          iptables(podns, '-A', 'INPUT', '-m', 'set', '--match-set', 'hl-blocked', 'src', '-j', 'DROP'),
          iptables(
            podns,
            '-A',
            'INPUT',
            '-s',
            '10.132.2.0/24',
            '-p',
            'icmp',
            '--icmp-type',
            'echo-request',
            '-j',
            'ACCEPT',
          ),
          iptables(podns, '-P', 'INPUT', 'DROP'),
        );
        break;
      case 'nft-chain-in-iptables':
        // nft adds a base chain to the filter table iptables-nft made: iptables-nft-save prints the
        // table without it ("contains incompatible base-chains"), the kernel runs it all the same.
        commands.push(
          iptables(podns, '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'),
          nft(
            podns,
            'add',
            'chain',
            'ip',
            'filter',
            'extra',
            '{',
            'type',
            'filter',
            'hook',
            'input',
            'priority',
            '10',
            ';',
            '}',
          ),
          nft(podns, 'add', 'rule', 'ip', 'filter', 'extra', 'icmp', 'type', 'echo-request', 'counter', 'drop'),
        );
        flows = [dropped(toPod), toGateway];
        expected = [{ rule: 'filter-drop', subjects: [v(podns)] }];
        break;
      case 'nft-tunnel-drop':
        // What Calico's cali-INPUT once did to peer-pod tunnels, written as nftables.
        commands.push(
          ...nftBaseChain(vm, 'inet', 'hostfw', 'input', 'input'),
          nft(
            vm,
            'add',
            'rule',
            'inet',
            'hostfw',
            'input',
            'udp',
            'dport',
            '4789',
            'counter',
            'drop',
            'comment',
            '"no vxlan"',
          ),
        );
        flows = [dropped(toPod), dropped(toGateway)];
        expected = [{ rule: 'tunnel-port-blocked', subjects: [v(vm)] }];
        break;
      case 'nft-tunnel-ok':
        commands.push(
          ...nftBaseChain(vm, 'inet', 'hostfw', 'input', 'input', 0, 'drop'),
          nft(vm, 'add', 'rule', 'inet', 'hostfw', 'input', 'ct', 'state', 'established,related', 'accept'),
          nft(vm, 'add', 'rule', 'inet', 'hostfw', 'input', 'udp', 'dport', '4790', 'drop'),
          nft(
            vm,
            'add',
            'rule',
            'inet',
            'hostfw',
            'input',
            'ip',
            'saddr',
            SEED_WORKER_IP,
            'udp',
            'dport',
            '4789',
            'accept',
          ),
        );
        break;
      case 'legacy-tunnel-drop':
        // The worker refuses the pod VM's tunnel packets: every request arrives, every reply dies.
        commands.push(iptablesLegacy(worker, '-A', 'INPUT', '-p', 'udp', '--dport', '4789', '-j', 'DROP'));
        flows = [dropped(toPod), dropped(toGateway)];
        expected = [{ rule: 'tunnel-port-blocked', subjects: [w(worker)] }];
        break;
      case 'notrack':
      case 'notrack-missing': {
        // cloud-api-adaptor's rules (pkg/podnetwork/tunneler/vxlan/iptables.go) in both roots.
        const caa = (ns: string, remote: string, withPrerouting: boolean): string[][] => {
          const comment = ['-m', 'comment', '--comment', `peerpod [vni:${VNI}]`];
          return [
            iptables(ns, '-t', 'raw', '-N', 'peerpod-OUTPUT'),
            iptables(ns, '-t', 'raw', '-A', 'OUTPUT', '-j', 'peerpod-OUTPUT'),
            iptables(
              ns,
              '-t',
              'raw',
              '-A',
              'peerpod-OUTPUT',
              ...comment,
              '-d',
              remote,
              '-p',
              'udp',
              '-m',
              'udp',
              '--dport',
              '4789',
              '-j',
              'NOTRACK',
            ),
            iptables(ns, '-t', 'raw', '-N', 'peerpod-PREROUTING'),
            iptables(ns, '-t', 'raw', '-A', 'PREROUTING', '-j', 'peerpod-PREROUTING'),
            ...(withPrerouting
              ? [
                  iptables(
                    ns,
                    '-t',
                    'raw',
                    '-A',
                    'peerpod-PREROUTING',
                    ...comment,
                    '-s',
                    remote,
                    '-p',
                    'udp',
                    '-m',
                    'udp',
                    '--dport',
                    '4789',
                    '-j',
                    'NOTRACK',
                  ),
                ]
              : []),
          ];
        };
        commands.push(...caa(worker, SEED_VM_IP, true), ...caa(vm, SEED_WORKER_IP, variant === 'notrack'));
        if (variant === 'notrack') {
          // Untracked is neither NEW nor INVALID: with NOTRACK these rules never see the tunnel.
          commands.push(
            iptables(vm, '-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'),
            iptables(
              vm,
              '-A',
              'INPUT',
              '-p',
              'udp',
              '--dport',
              '4789',
              '-m',
              'conntrack',
              '--ctstate',
              'NEW',
              '-j',
              'DROP',
            ),
          );
        } else {
          expected = [{ rule: 'peerpod-notrack-missing', subjects: [v(vm)] }];
        }
        break;
      }
      case 'dual-stack':
      case 'dual-stack-broken': {
        commands.push(
          // The pods' IPv6 gateway forwards, as it does IPv4 (seed: ip_forward=1).
          ['ip', 'netns', 'exec', worker, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.forwarding=1'],
          ip(worker, '-6', 'addr', 'add', `${SEED_GATEWAY_IP6}/64`, 'dev', 'ovn-k8s-pod', 'nodad'),
          // OVN answers neighbour discovery for the pod with the CNI's MAC, as it does ARP.
          ip(
            worker,
            '-6',
            'neigh',
            'replace',
            SEED_POD_IP6,
            'lladdr',
            SEED_POD_MAC,
            'dev',
            'ovn-k8s-pod',
            'nud',
            'permanent',
          ),
          ip(pod, '-6', 'addr', 'add', `${SEED_POD_IP6}/64`, 'dev', 'eth0', 'nodad'),
          ip(pod, '-6', 'route', 'add', 'default', 'via', SEED_GATEWAY_IP6, 'dev', 'eth0'),
          ip(podns, '-6', 'addr', 'add', `${SEED_POD_IP6}/64`, 'dev', 'vxlan0', 'nodad'),
          ip(podns, '-6', 'route', 'add', 'default', 'via', SEED_GATEWAY_IP6, 'dev', 'vxlan0'),
        );
        const toPod6: Flow = { ...toPod, to: SEED_POD_IP6 };
        const toGateway6: Flow = { ...toGateway, to: SEED_GATEWAY_IP6 };
        flows = [toPod, toPod6, toGateway6];
        if (variant === 'dual-stack-broken') {
          // The worker's permanent entry holds the CNI's MAC, which no solicitation overrides: its
          // advertisement to the pod VM dies as OTHERHOST too, so the pod VM's own ping never leaves:
          // IPv6 frees the queued echo from neigh_invalidate without a reason (ndisc_error_report's
          // plain kfree_skb), where IPv4 says NEIGH_FAILED.
          flows = flows.map((f) =>
            f === toGateway6
              ? { ...f, expectDrop: 'NOT_SPECIFIED', expectDropIn: 'neigh_invalidate' }
              : { ...f, expectDrop: 'OTHERHOST' },
          );
          expected = [...(base.expected ?? [])];
        }
        break;
      }
      case 'jumbo-mtu':
        // The pod VM's NIC takes jumbo frames and its tunnel follows; the worker's path stays at 1500.
        commands.push(
          ['ip', '-n', vm, 'link', 'set', 'ens4', 'mtu', '9000'],
          ['ip', '-n', podns, 'link', 'set', 'vxlan0', 'mtu', '8950'],
        );
        // The reply, encapsulated past 1500 bytes, dies entering the worker's veth (__dev_forward_skb).
        flows = [
          toPod,
          { ...toPod, size: 1472, df: true, expectDrop: 'NOT_SPECIFIED', expectDropIn: '__dev_forward_skb' },
        ];
        expected = [
          { rule: 'podvm-tunnel-mtu', subjects: [v(podns, 'vxlan0')] },
          { rule: 'mtu-mismatch', subjects: [w(worker, 'ens3'), v(vm, 'ens4')] },
          { rule: 'peerpod-intent-mismatch', subjects: [v(podns, 'vxlan0')] },
        ];
        break;
    }
    return { ...base, scenario: 'peer-pod-filters', variant, commands, flows, expected };
  },
};
