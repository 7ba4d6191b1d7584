import type { LabPlan, Scenario } from '../scenario.ts';
import { tcRedirect } from './tcRedirect.ts';

/** The pod's MAC as the CNI assigned it (OVN answers ARP for the pod IP with it). */
export const SEED_POD_MAC = '0a:58:0a:84:02:2e';
/** The MAC the pod VM's interface gets in the broken variant. */
export const SEED_BROKEN_VM_MAC = '7e:e5:f7:e6:f5:1a';
export const SEED_POD_IP = '10.132.2.46';
export const SEED_GATEWAY_IP = '10.132.2.1';
const GATEWAY_MAC = '0a:58:0a:84:02:01';
const WORKER_IP = '192.168.200.1';
const VM_IP = '192.168.200.2';
const VNI = '555000';

/**
 * DESIGN §1: a peer pod. The worker's pod netns holds eth0 (pod IP, CNI MAC) and vxlan1, created in
 * the worker root (so its socket stays there) and moved in; tc u32 mirred redirects join them both
 * ways. The pod VM's podns holds vxlan0, created in the VM root and moved in. `broken` gives vxlan0
 * another MAC; `fixed` gives it the pod's.
 */
export const seed: Scenario = {
  name: 'seed',
  description: 'peer pod over VXLAN: worker pod netns ⇄ pod VM podns (DESIGN §1)',
  variants: ['broken', 'fixed'],
  plan(prefix, variant): LabPlan {
    const worker = `${prefix}worker`;
    const pod = `${prefix}pod`;
    const vm = `${prefix}vm`;
    const podns = `${prefix}podns`;
    const vmMac = variant === 'fixed' ? SEED_POD_MAC : SEED_BROKEN_VM_MAC;
    const ip = (ns: string, ...args: string[]): string[] => ['ip', '-n', ns, ...args];
    const commands: string[][] = [
      // Underlay: the worker's and the pod VM's primary NICs on one wire.
      ['ip', 'link', 'add', 'ens3', 'netns', worker, 'type', 'veth', 'peer', 'name', 'ens4', 'netns', vm],
      ip(worker, 'addr', 'add', `${WORKER_IP}/24`, 'dev', 'ens3'),
      ip(worker, 'link', 'set', 'ens3', 'up'),
      ip(vm, 'addr', 'add', `${VM_IP}/24`, 'dev', 'ens4'),
      ip(vm, 'link', 'set', 'ens4', 'up'),
      // CNI side of the pod on the worker, and the pod's eth0.
      ip(
        worker,
        'link',
        'add',
        'ovn-k8s-pod',
        'address',
        GATEWAY_MAC,
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
      // vxlan1: created in the worker root so its UDP socket stays there, then moved into the pod netns.
      ip(
        worker,
        'link',
        'add',
        'vxlan1',
        'type',
        'vxlan',
        'id',
        VNI,
        'remote',
        VM_IP,
        'dstport',
        '4789',
        'dev',
        'ens3',
      ),
      ip(worker, 'link', 'set', 'vxlan1', 'netns', pod),
      ip(pod, 'link', 'set', 'vxlan1', 'up'),
      ...tcRedirect(pod, 'eth0', 'vxlan1'),
      ...tcRedirect(pod, 'vxlan1', 'eth0'),
      // Pod VM: vxlan0 created in the VM root, moved into podns, given the pod IP.
      ip(
        vm,
        'link',
        'add',
        'vxlan0',
        'type',
        'vxlan',
        'id',
        VNI,
        'remote',
        WORKER_IP,
        'dstport',
        '4789',
        'dev',
        'ens4',
      ),
      ip(vm, 'link', 'set', 'vxlan0', 'netns', podns),
      ip(podns, 'link', 'set', 'dev', 'vxlan0', 'address', vmMac),
      ip(podns, 'addr', 'add', `${SEED_POD_IP}/24`, 'dev', 'vxlan0'),
      ip(podns, 'link', 'set', 'lo', 'up'),
      ip(podns, 'link', 'set', 'vxlan0', 'up'),
      ip(podns, 'neigh', 'replace', SEED_GATEWAY_IP, 'lladdr', GATEWAY_MAC, 'dev', 'vxlan0', 'nud', 'permanent'),
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
          { name: 'podvm', kind: 'pod-vm', root: vm, netns: [podns] },
        ],
      },
      flows: [{ from: { host: 'worker', netns: worker }, to: SEED_POD_IP, pingNetns: worker }],
    };
  },
};
