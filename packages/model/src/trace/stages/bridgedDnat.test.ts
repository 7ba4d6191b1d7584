import { describe, expect, it } from 'vitest';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/**
 * A node's bridge br0 (10.96.0.1/16, br_netfilter on) with two pods; the node DNATs 10.99.0.1 to pod
 * 1 in PREROUTING. Pod 0 sends to 10.99.0.1 through a neighbour entry naming pod 1's MAC: the frame
 * is bridged, not for the bridge's own MAC, and the DNAT makes br_netfilter re-route it.
 */
function node(viaBridgeMac: boolean) {
  const b = new NetBuilder();
  const n = b.netns('node', 'node', { root: true, forward: true });
  const br = b.link(n, 'br0', 'bridge');
  b.addr(n, 'br0', '10.96.0.1/16');
  n.ns.sysctls = { all: {}, devices: [], bridgeNfCallIptables: 1 };
  const pods = [0, 1].map((i) => {
    const p = b.netns('node', `p${i}`);
    const [port] = b.veth(n, `veth${i}`, p, 'eth0');
    port.masterIfindex = br.ifindex;
    b.addr(p, 'eth0', `10.96.0.${i + 2}/16`);
    b.route(p, 'default', { gateway: '10.96.0.1', dev: 'eth0' });
    return p;
  });
  const chains = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].map((name) => ({
    name,
    policy: 'ACCEPT',
    packets: 0,
    bytes: 0,
  }));
  const dnat = ['-d', '10.99.0.1/32', '-j', 'DNAT', '--to-destination', '10.96.0.3'];
  n.ns.firewall = {
    nftables: [],
    iptables: [
      {
        family: 'ipv4',
        backend: 'nft',
        name: 'nat',
        chains,
        rules: [{ chain: 'PREROUTING', args: dnat, packets: 0, bytes: 0 }],
      },
    ],
    ipsets: [],
    gaps: [],
  };
  const mac = viaBridgeMac ? br.mac! : b.dev(pods[1]!, 'eth0').mac!;
  b.neighbor(pods[0]!, 'eth0', '10.96.0.1', mac);
  if (!viaBridgeMac) b.route(pods[0]!, '10.99.0.1', { gateway: '10.96.0.1', dev: 'eth0' });
  const index = new SnapshotIndex(b.snapshot());
  return trace(index, pods[0]!.ref, '10.99.0.1');
}

describe('a bridged frame a DNAT sends elsewhere (br_nf_pre_routing_finish)', () => {
  it('is unknown, not switched by its old MAC, where the frame is not for the bridge itself', () => {
    const stop = expectUnknownStop(node(false), ['br_netfilter then re-routes it (br_nf_pre_routing_finish)']);
    expect(stop).toMatchObject({ host: 'node', netns: 'node', interface: 'br0', component: 'bridge' });
  });

  it('is routed up the bridge as before where the frame is for the bridge', () => {
    expect(node(true).verdict).toBe('delivered');
  });
});
