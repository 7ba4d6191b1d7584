import type { ExpectedFinding, Flow, LabPlan, Scenario } from '../scenario.ts';
import { labFilesDir } from '../prefix.ts';
import { ofctl, ovsRunDir, ovsStartCommands, vsctl } from '../ovs/ovsDaemons.ts';
import { ovnPipeline, type BoundPort, type LogicalPort } from './ovnPipeline.ts';
import { SEED_BROKEN_VM_MAC, SEED_POD_IP, SEED_POD_MAC } from './seed.ts';
import { ip } from './labCommands.ts';
import { peerPodIntent, peerPodTunnelCommands, type PeerPodTunnel } from './peerPodTunnel.ts';

/** OVN-Kubernetes gives every address of a node's pod subnet the MAC 0a:58 + its four bytes. */
const ovnMac = (ip: string): string =>
  `0a:58:${ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join(':')}`;

const SUBNET = '10.132.2';
/** The node's logical router port: the pods' default gateway, which only OVN answers for. */
const ROUTER = { ip: `${SUBNET}.1`, mac: ovnMac(`${SUBNET}.1`) };
/** ovn-k8s-mp0, OVN-K's management port: the node's own address on its pod subnet. */
export const OVN_MP0 = { ip: `${SUBNET}.2`, mac: ovnMac(`${SUBNET}.2`) };
const POD_A = { ip: `${SUBNET}.10`, mac: ovnMac(`${SUBNET}.10`) };
const POD_B = { ip: `${SUBNET}.11`, mac: ovnMac(`${SUBNET}.11`) };
const WORKER_IP = '192.168.200.1';
const VM_IP = '192.168.200.2';
const VNI = '555000';

const VARIANTS = ['ok', 'broken', 'acl-drop', 'iface-id-unknown', 'port-missing'] as const;
type Variant = (typeof VARIANTS)[number];

/**
 * The seed's own cluster: an OVN-Kubernetes worker whose pods hang off Open vSwitch. The lab starts
 * its own ovsdb-server and ovs-vswitchd (userspace datapath) in the worker's namespace; `br-int`
 * has each pod's host-side veth as a port (with the `iface-id`, `attached_mac` and `ip_addresses`
 * OVN-K sets) and `ovn-k8s-mp0` as an internal port holding the node's pod-subnet address, and
 * OpenFlow tables modelled on OVN's (ovnPipeline). Two ordinary pods, a and b, and the seed's peer
 * pod (DESIGN §1: eth0 and vxlan1 joined by tc on the worker, vxlan0 on the pod VM) on top.
 * `broken` gives vxlan0 another MAC (now dropped by port security too); `acl-drop` denies all ingress
 * to pod b; `iface-id-unknown` plugs pod a with an iface-id no logical port has, so OVN binds
 * nothing and installs no flows for it; `port-missing` leaves pod b's veth out of br-int.
 */
export const ovnSeed: Scenario = {
  name: 'ovn-seed',
  description: 'OVN-Kubernetes worker on Open vSwitch (br-int, ovn-k8s-mp0) with two pods and the peer pod',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const worker = `${prefix}worker`;
    const podA = `${prefix}pod-a`;
    const podB = `${prefix}pod-b`;
    const pod = `${prefix}pod`;
    const vm = `${prefix}vm`;
    const podns = `${prefix}podns`;
    const run = ovsRunDir(prefix, 'worker');
    const seedPod = { ip: SEED_POD_IP, mac: SEED_POD_MAC };
    const pods = [
      { ns: podA, veth: 'veth-a', name: 'a', ...POD_A },
      { ns: podB, veth: 'veth-b', name: 'b', ...POD_B },
      { ns: pod, veth: 'veth-seed', name: 'seed', ...seedPod },
    ];
    const plugged = pods.filter((p) => !(variant === 'port-missing' && p.name === 'b'));
    const ifaceId = (name: string): string =>
      `default_${variant === 'iface-id-unknown' && name === 'a' ? 'a-old' : name}`;
    const bound: BoundPort[] = [
      { ovsPort: 'ovn-k8s-mp0', ...OVN_MP0 },
      ...plugged
        .filter((p) => !(variant === 'iface-id-unknown' && p.name === 'a'))
        .map((p) => ({ ovsPort: p.veth, ip: p.ip, mac: p.mac })),
    ];
    const logical: LogicalPort[] = [ROUTER, OVN_MP0, POD_A, POD_B, seedPod];
    const tunnel: PeerPodTunnel = {
      worker,
      pod,
      vm,
      podns,
      workerIp: WORKER_IP,
      vmIp: VM_IP,
      workerDev: 'ens3',
      vmDev: 'ens4',
      vni: VNI,
      podIp: SEED_POD_IP,
      vmMac: variant === 'broken' ? SEED_BROKEN_VM_MAC : SEED_POD_MAC,
      gateway: ROUTER.ip,
      neighbours: [ROUTER, OVN_MP0],
    };

    const commands: string[][] = [
      ['ip', 'netns', 'exec', worker, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'],
      ip(worker, 'link', 'set', 'lo', 'up'),
      ...ovsStartCommands(run, worker),
      vsctl(run, 'add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', 'fail-mode=secure'),
      vsctl(run, 'add-port', 'br-int', 'ovn-k8s-mp0', '--', 'set', 'interface', 'ovn-k8s-mp0', 'type=internal').concat([
        `mac="${OVN_MP0.mac}"`,
        'external_ids:iface-id=k8s-worker',
        'external_ids:ovn-installed=true',
      ]),
      ip(worker, 'addr', 'add', `${OVN_MP0.ip}/24`, 'dev', 'ovn-k8s-mp0'),
      ip(worker, 'link', 'set', 'ovn-k8s-mp0', 'up'),
      // Underlay: the worker's and the pod VM's primary NICs on one wire.
      ['ip', 'link', 'add', 'ens3', 'netns', worker, 'type', 'veth', 'peer', 'name', 'ens4', 'netns', vm],
      ip(worker, 'addr', 'add', `${WORKER_IP}/24`, 'dev', 'ens3'),
      ip(worker, 'link', 'set', 'ens3', 'up'),
      ip(vm, 'addr', 'add', `${VM_IP}/24`, 'dev', 'ens4'),
      ip(vm, 'link', 'set', 'ens4', 'up'),
    ];
    for (const p of pods) {
      commands.push(
        ip(worker, 'link', 'add', p.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.ns),
        ip(p.ns, 'link', 'set', 'eth0', 'address', p.mac),
        ip(p.ns, 'addr', 'add', `${p.ip}/24`, 'dev', 'eth0'),
        ip(p.ns, 'link', 'set', 'lo', 'up'),
        ip(p.ns, 'link', 'set', 'eth0', 'up'),
        ip(p.ns, 'route', 'add', 'default', 'via', ROUTER.ip, 'dev', 'eth0'),
        ip(worker, 'link', 'set', p.veth, 'up'),
      );
    }
    for (const p of plugged) {
      const bind = bound.some((b) => b.ovsPort === p.veth) ? ['external_ids:ovn-installed=true'] : [];
      commands.push(
        vsctl(run, 'add-port', 'br-int', p.veth, '--', 'set', 'interface', p.veth)
          .concat([`external_ids:iface-id=${ifaceId(p.name)}`, `external_ids:attached_mac=${p.mac}`])
          .concat([`external_ids:ip_addresses=${p.ip}/24`, ...bind]),
        // With the userspace datapath the node's own stack sees every frame of a port too (OVS reads
        // it through a packet socket, where the kernel module's rx_handler would take it): NOARP keeps
        // the node from answering pods' ARP beside OVN, as it never could on a real node.
        ip(worker, 'link', 'set', 'dev', p.veth, 'arp', 'off'),
      );
    }
    commands.push(
      ...ovnPipeline({
        logical,
        bound,
        ...(variant === 'acl-drop' ? { denyIngressTo: POD_B.ip } : {}),
      }).map((f) => ofctl(run, 'add-flow', 'br-int', f)),
      // The peer pod (DESIGN §1); cloud-api-adaptor copies the worker pod's neighbours: the
      // gateway and the management port.
      ...peerPodTunnelCommands(tunnel),
    );

    const w = (ns: string, dev?: string): string => `worker/${ns}${dev ? `/${dev}` : ''}`;
    const v = (ns: string, dev?: string): string => `podvm/${ns}${dev ? `/${dev}` : ''}`;
    const expected: Record<Variant, ExpectedFinding[]> = {
      ok: [],
      broken: [
        { rule: 'mac-mismatch-across-tunnel', subjects: [w(pod, 'eth0'), v(podns, 'vxlan0')] },
        { rule: 'peerpod-intent-mismatch', subjects: [v(podns, 'vxlan0')] },
        { rule: 'ovs-port-security', subjects: [w(worker, 'veth-seed'), v(podns, 'vxlan0')] },
      ],
      'acl-drop': [{ rule: 'ovs-flow-drop', subjects: [w(worker, 'ovn-k8s-mp0'), w(worker, 'veth-b')] }],
      'iface-id-unknown': [
        { rule: 'ovs-iface-id-unknown', subjects: [w(worker, 'veth-a')] },
        { rule: 'ovs-flow-drop', subjects: [w(worker, 'ovn-k8s-mp0'), w(worker, 'veth-a')] },
      ],
      'port-missing': [{ rule: 'ovs-port-missing', subjects: [w(worker, 'veth-b'), w(podB, 'eth0')] }],
    };
    const apf = `${labFilesDir(prefix)}/podvm/apf.json`;
    const intent = peerPodIntent(tunnel, SEED_POD_MAC, { namespace: 'default', name: 'seed' });
    const from = (ns: string): Pick<Flow, 'from' | 'pingNetns'> => ({
      from: { host: ns === podns ? 'podvm' : 'worker', netns: ns },
      pingNetns: ns,
    });
    // How each variant's lost flows die, for the kernel-probe agreement (see Flow.dropInOvs).
    const inOvs = (why: string): Pick<Flow, 'dropInOvs'> => ({ dropInOvs: `br-int drops it: ${why}` });
    const dies: Record<Variant, readonly (Partial<Flow> | undefined)[]> = {
      ok: [],
      broken: [
        undefined,
        // The request crosses br-int and the tunnel; the pod VM's kernel drops it as not its MAC.
        { expectDrop: 'OTHERHOST' },
        undefined,
        undefined,
        inOvs('port security on veth-seed refuses the pod VM’s MAC'),
      ],
      'acl-drop': [undefined, undefined, inOvs('the ACL on pod b'), inOvs('the ACL on pod b, its reply')],
      'iface-id-unknown': [
        inOvs('no flows for the unbound port of pod a'),
        undefined,
        // OVS drops pod a's ARP requests: its kernel gives up on the neighbour.
        { expectDrop: 'NEIGH_FAILED' },
      ],
      'port-missing': [
        undefined,
        undefined,
        inOvs('pod b’s veth is no port of it'),
        inOvs('the reply to pod b has no port to leave by'),
      ],
    };
    const flows: Flow[] = [
      { ...from(worker), to: POD_A.ip },
      { ...from(worker), to: SEED_POD_IP },
      { ...from(podA), to: POD_B.ip },
      { ...from(podB), to: OVN_MP0.ip },
      { ...from(podns), to: OVN_MP0.ip },
    ].map((f, i) => ({ ...f, ...dies[variant][i] }));
    return {
      scenario: 'ovn-seed',
      variant,
      prefix,
      namespaces: [worker, podA, podB, pod, vm, podns],
      commands,
      hostMap: {
        hosts: [
          { name: 'worker', kind: 'node', root: worker, netns: [podA, podB, pod], ovsDbSocket: `${run}/db.sock` },
          { name: 'podvm', kind: 'pod-vm', root: vm, netns: [podns], peerPodConfig: apf },
        ],
      },
      files: [{ path: apf, content: `${JSON.stringify(intent, null, 2)}\n` }],
      flows,
      expected: expected[variant],
    };
  },
};
