import { describe, expect, it } from 'vitest';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { BROADCAST_MAC } from '../packet.ts';
import { Walk } from '../walk.ts';

/**
 * KubeVirt's bridge binding: inside the pod, k6t-eth0 bridges the VM's tap and the pod's eth0,
 * whose veth peer is on the node beside ovs-netdev (Open vSwitch's userspace datapath, whose ports
 * show no master). A silent walk floods the VM's ARP request for an address nobody in the pod holds.
 */
function kubevirt(ovs: 'read' | 'not collected' | 'rows unread') {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true });
  b.link(node, 'ovs-netdev', 'tun');
  const pod = b.netns('node', 'virt-launcher');
  const br = b.link(pod, 'k6t-eth0', 'bridge');
  // The VM, as a namespace behind a veth in place of its tap.
  const vm = b.netns('node', 'vm');
  const [vmEth0, tap] = b.veth(vm, 'eth0', pod, 'tap0');
  tap.masterIfindex = br.ifindex;
  b.addr(vm, 'eth0', '10.0.2.2/24');
  const [eth0] = b.veth(pod, 'eth0', node, 'veth-vm');
  eth0.masterIfindex = br.ifindex;
  const snapshot = b.snapshot();
  const host = snapshot.hosts.find((h) => h.name === 'node')!;
  if (ovs !== 'not collected')
    host.ovs = {
      dbSocket: '/run/openvswitch/db.sock',
      runDir: '/run/openvswitch',
      bridges: [],
      traces: [],
      ...(ovs === 'rows unread' ? { unreadRows: 1 } : {}),
    };
  const index = new SnapshotIndex(snapshot);
  const out = index.netns({ host: 'node', netns: 'vm' })!.linksByName.get('eth0')!;
  return new Walk(index, 'request', true).transmit(out, {
    srcMac: vmEth0.mac,
    dstMac: BROADCAST_MAC,
    packet: { kind: 'arp', src: '10.0.2.2', dst: '10.0.2.99' },
  });
}

describe('a flooded ARP request past a bridge port', () => {
  it('goes unanswered by a plain peer, where the node’s switch was read whole', () => {
    expect(kubevirt('read').verdict).toBe('dropped');
  });

  it.each(['not collected', 'rows unread'] as const)(
    'cannot tell where the peer may be a port of a userspace switch whose OVSDB was %s',
    (ovs) => {
      expect(kubevirt(ovs).verdict).toBe('unknown');
    },
  );
});
