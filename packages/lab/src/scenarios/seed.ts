import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { labFilesDir } from '../prefix.ts';
import { ip } from './labCommands.ts';
import { peerPodIntent, peerPodTunnelCommands, vxlanLink, type PeerPodTunnel } from './peerPodTunnel.ts';

/** The pod's MAC as the CNI assigned it (OVN answers ARP for the pod IP with it). */
export const SEED_POD_MAC = '0a:58:0a:84:02:2e';
/** The MAC the pod VM's interface gets in the broken variant. */
export const SEED_BROKEN_VM_MAC = '7e:e5:f7:e6:f5:1a';
export const SEED_POD_IP = '10.132.2.46';
export const SEED_GATEWAY_IP = '10.132.2.1';
export const SEED_GATEWAY_MAC = '0a:58:0a:84:02:01';
export const SEED_WORKER_IP = '192.168.200.1';
export const SEED_VM_IP = '192.168.200.2';
/** An address in the underlay subnet that no host holds: a deleted pod VM's. */
const GONE_VM_IP = '192.168.200.9';
const VNI = '555000';

/** What each variant breaks; `fixed` is the fault-free twin of them all. */
const VARIANTS = [
  'broken',
  'fixed',
  'vni-mismatch',
  'port-mismatch',
  'remote-unknown',
  'underlay-down',
  'no-redirect',
  'no-redirect-out',
  'arp-only-redirect',
  'stale-tunnel',
  'duplicate-vni',
  'mtu-overlay',
] as const;
type Variant = (typeof VARIANTS)[number];

/**
 * DESIGN §1: a peer pod. The worker's pod netns holds eth0 (pod IP, CNI MAC) and vxlan1, created in
 * the worker root (so its socket stays there) and moved in; tc u32 mirred redirects join them both
 * ways. The pod VM's podns holds vxlan0, created in the VM root and moved in. `broken` gives vxlan0
 * another MAC; `fixed` gives it the pod's; every other variant breaks one more thing of the same
 * family (DESIGN §5) on top of `fixed`.
 */
export const seed: Scenario = {
  name: 'seed',
  description: 'peer pod over VXLAN: worker pod netns ⇄ pod VM podns (DESIGN §1), one variant per tunnel fault',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const worker = `${prefix}worker`;
    const pod = `${prefix}pod`;
    const vm = `${prefix}vm`;
    const podns = `${prefix}podns`;
    const tunnel: PeerPodTunnel = {
      worker,
      pod,
      vm,
      podns,
      workerIp: SEED_WORKER_IP,
      vmIp: SEED_VM_IP,
      workerDev: 'ens3',
      vmDev: 'ens4',
      vni: VNI,
      podIp: SEED_POD_IP,
      vmMac: variant === 'broken' ? SEED_BROKEN_VM_MAC : SEED_POD_MAC,
      gateway: SEED_GATEWAY_IP,
      neighbours: [{ ip: SEED_GATEWAY_IP, mac: SEED_GATEWAY_MAC }],
      faults: {
        ...(variant === 'remote-unknown' ? { workerRemote: GONE_VM_IP } : {}),
        ...(variant === 'vni-mismatch' ? { vmVni: '555001' } : {}),
        ...(variant === 'port-mismatch' ? { vmPort: '4790' } : {}),
        ...(variant === 'no-redirect' ? { noRedirectBack: true } : {}),
        ...(variant === 'no-redirect-out' ? { noRedirectOut: true } : {}),
        ...(variant === 'arp-only-redirect' ? { redirectOnly: 'arp' } : {}),
      },
    };
    const commands: string[][] = [
      // A node routes: pod traffic to and from the CNI passes through its root namespace.
      ['ip', 'netns', 'exec', worker, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'],
      // Underlay: the worker's and the pod VM's primary NICs on one wire.
      ['ip', 'link', 'add', 'ens3', 'netns', worker, 'type', 'veth', 'peer', 'name', 'ens4', 'netns', vm],
      ip(worker, 'addr', 'add', `${SEED_WORKER_IP}/24`, 'dev', 'ens3'),
      ip(worker, 'link', 'set', 'ens3', 'up'),
      ip(vm, 'addr', 'add', `${SEED_VM_IP}/24`, 'dev', 'ens4'),
      ip(vm, 'link', 'set', 'ens4', variant === 'underlay-down' ? 'down' : 'up'),
      // CNI side of the pod on the worker, and the pod's eth0.
      ip(
        worker,
        'link',
        'add',
        'ovn-k8s-pod',
        'address',
        SEED_GATEWAY_MAC,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        pod,
      ),
      ip(worker, 'addr', 'add', `${SEED_GATEWAY_IP}/24`, 'dev', 'ovn-k8s-pod'),
      ip(worker, 'link', 'set', 'ovn-k8s-pod', 'up'),
      ip(worker, 'neigh', 'replace', SEED_POD_IP, 'lladdr', SEED_POD_MAC, 'dev', 'ovn-k8s-pod', 'nud', 'permanent'),
      ip(pod, 'link', 'set', 'eth0', 'address', SEED_POD_MAC),
      ip(pod, 'addr', 'add', `${SEED_POD_IP}/24`, 'dev', 'eth0'),
      ip(pod, 'link', 'set', 'lo', 'up'),
      ip(pod, 'link', 'set', 'eth0', 'up'),
      ip(pod, 'route', 'add', 'default', 'via', SEED_GATEWAY_IP, 'dev', 'eth0'),
      ...peerPodTunnelCommands(tunnel),
    ];
    // A tunnel device left behind by a deleted pod, in the worker's root.
    if (variant === 'stale-tunnel') commands.push(vxlanLink(worker, 'vxlan9', '555009', SEED_VM_IP, '4789', 'ens3'));
    // The same, holding the live pod's VNI on another port: the kernel allows it, nobody should.
    if (variant === 'duplicate-vni') commands.push(vxlanLink(worker, 'vxlan9', VNI, SEED_VM_IP, '4790', 'ens3'));
    if (variant === 'stale-tunnel' || variant === 'duplicate-vni')
      commands.push(ip(worker, 'link', 'set', 'vxlan9', 'up'));
    // The underlay's MTU lowered after the tunnels were made (the kernel caps a new one at MTU − 50).
    if (variant === 'mtu-overlay') {
      commands.push(ip(worker, 'link', 'set', 'ens3', 'mtu', '1400'), ip(vm, 'link', 'set', 'ens4', 'mtu', '1400'));
    }

    const w = (ns: string, dev?: string): string => `worker/${ns}${dev ? `/${dev}` : ''}`;
    const v = (ns: string, dev?: string): string => `podvm/${ns}${dev ? `/${dev}` : ''}`;
    const expected: Record<Variant, ExpectedFinding[]> = {
      broken: [
        { rule: 'mac-mismatch-across-tunnel', subjects: [w(pod, 'eth0'), v(podns, 'vxlan0')] },
        { rule: 'neighbor-mac-mismatch', subjects: [w(worker, 'ovn-k8s-pod'), v(podns, 'vxlan0')] },
        { rule: 'peerpod-intent-mismatch', subjects: [v(podns, 'vxlan0')] },
      ],
      fixed: [],
      'vni-mismatch': [
        { rule: 'vni-mismatch', subjects: [w(pod, 'vxlan1'), v(podns, 'vxlan0')] },
        { rule: 'peerpod-intent-mismatch', subjects: [v(podns, 'vxlan0')] },
      ],
      'port-mismatch': [
        { rule: 'vxlan-port-mismatch', subjects: [w(pod, 'vxlan1'), v(podns, 'vxlan0')] },
        { rule: 'peerpod-intent-mismatch', subjects: [v(podns, 'vxlan0')] },
      ],
      'remote-unknown': [{ rule: 'tunnel-remote-unknown', subjects: [w(pod, 'vxlan1')] }],
      'underlay-down': [
        { rule: 'link-down', subjects: [v(vm, 'ens4')] },
        { rule: 'veth-peer-missing', subjects: [w(worker, 'ens3'), v(vm, 'ens4')] },
        { rule: 'underlay-unreachable', subjects: [v(podns, 'vxlan0')] },
        { rule: 'underlay-unreachable', subjects: [w(pod, 'vxlan1'), w(worker, 'ens3')] },
      ],
      'no-redirect': [{ rule: 'tc-redirect-missing', subjects: [w(pod, 'eth0'), w(pod, 'vxlan1')] }],
      // eth0, no longer passed through, is a second holder of the pod's IP and MAC where the pod
      // VM's frames arrive: both are true, and the missing redirect is why.
      'no-redirect-out': [
        { rule: 'tc-redirect-missing', subjects: [w(pod, 'eth0'), w(pod, 'vxlan1')] },
        { rule: 'duplicate-ip', subjects: [w(pod, 'eth0'), v(podns, 'vxlan0')] },
        { rule: 'duplicate-mac', subjects: [w(pod, 'eth0'), v(podns, 'vxlan0')] },
      ],
      'arp-only-redirect': [{ rule: 'tc-redirect-missing', subjects: [w(pod, 'eth0'), w(pod, 'vxlan1')] }],
      'stale-tunnel': [{ rule: 'stale-tunnel', subjects: [w(worker, 'vxlan9')] }],
      'duplicate-vni': [
        { rule: 'duplicate-vni', subjects: [w(pod, 'vxlan1'), w(worker, 'vxlan9')] },
        { rule: 'stale-tunnel', subjects: [w(worker, 'vxlan9')] },
      ],
      'mtu-overlay': [
        { rule: 'mtu-mismatch', subjects: [w(pod, 'vxlan1'), w(worker, 'ens3')] },
        { rule: 'mtu-mismatch', subjects: [v(podns, 'vxlan0'), v(vm, 'ens4')] },
      ],
    };
    const apf = `${labFilesDir(prefix)}/podvm/apf.json`;
    const intent = peerPodIntent(tunnel, SEED_POD_MAC, { namespace: 'default', name: 'seed' });
    // The kernel's drop reason for the faults that stop the ping (skb:kfree_skb, measured on the lab).
    const drop: Partial<Record<Variant, string>> = {
      broken: 'OTHERHOST',
      'vni-mismatch': 'VXLAN_VNI_NOT_FOUND',
      'port-mismatch': 'NO_SOCKET',
      'remote-unknown': 'NEIGH_FAILED',
      'underlay-down': 'NEIGH_FAILED',
      'no-redirect': 'OTHERHOST',
      'arp-only-redirect': 'NEIGH_FAILED',
    };
    const expectDrop = drop[variant] === undefined ? {} : { expectDrop: drop[variant] };
    // Without eth0's redirect, what the worker sends the pod IP is taken by the worker's own pod
    // namespace, which holds that IP too and answers: the worker's ping works, the pod VM sees
    // nothing. The pod VM's own ping of the gateway crosses to it, but the answer ends in that
    // namespace as well, where no socket waits for it.
    const vmFlows: Flow[] =
      variant === 'no-redirect-out'
        ? [{ from: { host: 'podvm', netns: podns }, to: SEED_GATEWAY_IP, pingNetns: podns, expectDrop: 'NO_SOCKET' }]
        : [];
    const flows: Flow[] = [
      ...vmFlows,
      { from: { host: 'worker', netns: worker }, to: SEED_POD_IP, pingNetns: worker, ...expectDrop },
      // The largest packet the pod's eth0 takes, DF set: the tunnel fragments its outer packet.
      {
        from: { host: 'worker', netns: worker },
        to: SEED_POD_IP,
        pingNetns: worker,
        size: 1472,
        df: true,
        ...expectDrop,
      },
    ];
    return {
      scenario: 'seed',
      variant,
      prefix,
      namespaces: [worker, pod, vm, podns],
      commands,
      hostMap: {
        hosts: [
          { name: 'worker', kind: 'node', root: worker, netns: [pod] },
          { name: 'podvm', kind: 'pod-vm', root: vm, netns: [podns], peerPodConfig: apf },
        ],
      },
      files: [{ path: apf, content: `${JSON.stringify(intent, null, 2)}\n` }],
      flows,
      expected: expected[variant],
    };
  },
};
