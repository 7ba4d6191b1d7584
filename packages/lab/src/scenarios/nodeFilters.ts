import { ebpfPassFilter } from './ebpfPass.ts';
import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { bridgedNodes } from './bridgedNodes.ts';
import { iptables, nft, nftBaseChain, sysctl } from './labCommands.ts';

const VARIANTS = [
  'br-forward-drop',
  'br-forward-ok',
  'nft-output-drop',
  'nft-output-ok',
  'reply-drop',
  'reply-ok',
  'u32-drop',
  'u32-pass',
  'u32-hash-drop',
  'cbpf-drop',
  'cbpf-pass',
  'ebpf',
] as const;
type Variant = (typeof VARIANTS)[number];

/** Where a tc filter "drops": a redirect into a device that is down (this kernel has no gact). */
const SINK = 'hl-sink';
/** Classic BPF over the Ethernet frame: IPv4 to `dst` matches (-1), anything else does not (0). */
const cbpfToHost = (dst: number): string => `6,40 0 0 12,21 0 3 2048,32 0 0 30,21 0 1 ${dst},6 0 0 4294967295,6 0 0 0`;
const ip4 = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/**
 * The bridged nodes (two nodes, bridge CNI) with node filters where they sit in real clusters:
 * br_netfilter taking bridged pod-to-pod frames through the node's FORWARD chain, an nftables
 * output rule for one pod, a pod that drops its own replies, and tc classifiers (u32 with keys and
 * a hash table, classic BPF, an eBPF program) on the veth towards one pod. Faulty variants each
 * have a fault-free twin.
 */
export const nodeFilters: Scenario = {
  name: 'node-filters',
  description:
    'bridged nodes with br_netfilter, nftables, iptables and tc classifiers: a variant per filter fault, each with its twin',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const base = bridgedNodes.plan(prefix, 'ok');
    const na = `${prefix}na`;
    const pa2 = `${na}-p2`;
    const pa3 = `${na}-p3`;
    const commands: string[][] = [
      ...base.commands.map((c) => [...c]),
      sysctl(na, 'net.bridge.bridge-nf-call-iptables=1'),
    ];
    const files: { path: string; content: string }[] = [];
    const node = `node-a/${na}`;
    const flow = (ns: string, to: string, extra: Partial<Flow> = {}): Flow => ({
      from: { host: 'node-a', netns: ns },
      to,
      pingNetns: ns,
      ...extra,
    });
    const podToPod = flow(pa2, '10.244.1.3');
    const acrossNodes = flow(pa2, '10.244.2.2');
    const rootToP3 = flow(na, '10.244.1.3');
    const rootToP2 = flow(na, '10.244.1.2');
    const p3ToP2 = flow(pa3, '10.244.1.2');
    const all = [podToPod, acrossNodes, rootToP3, rootToP2, p3ToP2];
    const drop = (f: Flow, reason?: string): Flow => ({ ...f, ...(reason ? { expectDrop: reason } : {}) });
    let flows: Flow[] = all;
    let expected: ExpectedFinding[] = [];
    const tc = (...args: string[]): string[] => ['tc', '-n', na, ...args];
    const toSink = ['action', 'mirred', 'egress', 'redirect', 'dev', SINK];
    const tcSetup = [
      ['ip', '-n', na, 'link', 'add', SINK, 'type', 'veth', 'peer', 'name', `${SINK}-peer`],
      tc('qdisc', 'add', 'dev', 'veth3', 'clsact'),
    ];
    // Frames towards pod 3 leave through veth3: its requests and the replies to what it sends.
    const throughVeth3 = [podToPod, rootToP3, p3ToP2];
    switch (variant) {
      case 'br-forward-drop':
        commands.push(iptables(na, '-P', 'FORWARD', 'DROP'));
        flows = [drop(podToPod, 'NETFILTER_DROP'), drop(acrossNodes, 'NETFILTER_DROP'), rootToP3, rootToP2];
        expected = [{ rule: 'filter-drop', subjects: [node] }];
        break;
      case 'br-forward-ok':
        commands.push(
          iptables(na, '-A', 'FORWARD', '-i', 'cni0', '-j', 'ACCEPT'),
          iptables(na, '-A', 'FORWARD', '-o', 'cni0', '-j', 'ACCEPT'),
          iptables(na, '-P', 'FORWARD', 'DROP'),
        );
        flows = [podToPod, acrossNodes, rootToP3, rootToP2];
        break;
      case 'nft-output-drop':
      case 'nft-output-ok':
        commands.push(
          ...nftBaseChain(na, 'ip', 'hostfw', 'output', 'output'),
          nft(
            na,
            'add',
            'rule',
            'ip',
            'hostfw',
            'output',
            'ip',
            'daddr',
            variant === 'nft-output-drop' ? '10.244.1.3' : '10.244.1.99',
            'counter',
            'drop',
          ),
        );
        if (variant === 'nft-output-drop') {
          flows = [podToPod, drop(rootToP3, 'NETFILTER_DROP'), rootToP2];
          expected = [{ rule: 'filter-drop', subjects: [node] }];
        } else flows = [podToPod, rootToP3, rootToP2];
        break;
      case 'reply-drop':
      case 'reply-ok':
        // The request arrives; pod 3's own OUTPUT chain kills the reply (or, in the twin, what it never sends).
        commands.push(
          iptables(
            pa3,
            '-A',
            'OUTPUT',
            '-p',
            'icmp',
            '--icmp-type',
            variant === 'reply-drop' ? 'echo-reply' : 'echo-request',
            '-d',
            variant === 'reply-drop' ? '0.0.0.0/0' : '10.99.0.1',
            '-j',
            'DROP',
          ),
        );
        if (variant === 'reply-drop') {
          // The reply is made and dropped inside pod 3's stack, before any device event names it.
          const unattributable = 'the reply dies in OUTPUT before any tracepoint ties its skb to a device';
          flows = [
            { ...drop(podToPod, 'NETFILTER_DROP'), probeUnattributable: unattributable },
            { ...drop(rootToP3, 'NETFILTER_DROP'), probeUnattributable: unattributable },
            p3ToP2,
          ];
          expected = [{ rule: 'filter-drop', subjects: [`node-a/${pa3}`] }];
        } else flows = [podToPod, rootToP3, p3ToP2];
        break;
      case 'u32-drop':
      case 'u32-pass':
        commands.push(
          ...tcSetup,
          tc('filter', 'add', 'dev', 'veth3', 'egress', 'protocol', 'ip', 'prio', '1', 'u32')
            .concat([
              'match',
              'ip',
              'dst',
              variant === 'u32-drop' ? '10.244.1.3/32' : '10.244.1.99/32',
              'match',
              'ip',
              'protocol',
              '1',
              '0xff',
            ])
            .concat(toSink),
        );
        flows = variant === 'u32-drop' ? all.map((f) => (throughVeth3.includes(f) ? drop(f, 'TC_EGRESS') : f)) : all;
        expected = variant === 'u32-drop' ? [{ rule: 'filter-drop', subjects: [node] }] : [];
        break;
      case 'u32-hash-drop':
        // A hash table keyed on the destination's last byte, as large u32 setups spread their keys.
        commands.push(
          ...tcSetup,
          tc(
            'filter',
            'add',
            'dev',
            'veth3',
            'egress',
            'prio',
            '1',
            'handle',
            '1:',
            'protocol',
            'ip',
            'u32',
            'divisor',
            '256',
          ),
          tc('filter', 'add', 'dev', 'veth3', 'egress', 'prio', '1', 'protocol', 'ip', 'u32', 'ht', '1:3:')
            .concat(['match', 'ip', 'dst', '10.244.1.3/32'])
            .concat(toSink),
          tc('filter', 'add', 'dev', 'veth3', 'egress', 'prio', '1', 'protocol', 'ip', 'u32', 'ht', '800::').concat([
            'match',
            'ip',
            'dst',
            '10.244.1.0/24',
            'hashkey',
            'mask',
            '0x000000ff',
            'at',
            '16',
            'link',
            '1:',
          ]),
        );
        flows = all.map((f) => (throughVeth3.includes(f) ? drop(f, 'TC_EGRESS') : f));
        expected = [{ rule: 'filter-drop', subjects: [node] }];
        break;
      case 'cbpf-drop':
      case 'cbpf-pass':
        commands.push(
          ...tcSetup,
          tc('filter', 'add', 'dev', 'veth3', 'egress', 'protocol', 'all', 'prio', '1', 'bpf', 'bytecode')
            .concat([cbpfToHost(ip4(variant === 'cbpf-drop' ? '10.244.1.3' : '10.244.1.99'))])
            .concat(toSink),
        );
        flows = variant === 'cbpf-drop' ? all.map((f) => (throughVeth3.includes(f) ? drop(f, 'TC_EGRESS') : f)) : all;
        expected = variant === 'cbpf-drop' ? [{ rule: 'filter-drop', subjects: [node] }] : [];
        break;
      case 'ebpf': {
        const pass = ebpfPassFilter(prefix, na, 'veth3', 'egress');
        files.push(pass.file);
        commands.push(...pass.commands);
        flows = all.map((f) => (throughVeth3.includes(f) ? { ...f, traceUnknown: 'eBPF' } : f));
        break;
      }
    }
    return { ...base, scenario: 'node-filters', variant, commands, files, flows, expected };
  },
};
