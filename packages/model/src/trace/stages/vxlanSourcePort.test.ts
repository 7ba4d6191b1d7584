import { describe, expect, it } from 'vitest';
import type { IptablesTable } from '../../schema/firewall.ts';
import type { VxlanInfo } from '../../schema/inventory.ts';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { icmpEcho } from '../packet.ts';
import { Walk } from '../walk.ts';

/** OUTPUT of the filter table (nft backend) with one rule. */
const output = (args: string[]): IptablesTable => ({
  family: 'ipv4',
  backend: 'nft',
  name: 'filter',
  chains: ['INPUT', 'FORWARD', 'OUTPUT'].map((name) => ({ name, policy: 'ACCEPT', packets: 0, bytes: 0 })),
  rules: [{ chain: 'OUTPUT', args, packets: 0, bytes: 0 }],
});

/**
 * A node whose vx0 (to 10.0.0.2 over ens3) sends a ping's frame, through an OUTPUT rule on the outer
 * packet's source port; `range` is the namespace's ip_local_port_range, `srcPorts` the device's own.
 */
function sendThrough(rule: string[], opts: { range?: boolean; srcPorts?: VxlanInfo['srcPorts'] } = {}) {
  const b = new NetBuilder();
  const na = b.netns('na', 'na', { root: true });
  if (opts.range !== false) na.ns.sysctls = { all: {}, devices: [], localPortRange: { start: 32768, end: 60999 } };
  na.ns.firewall = { nftables: [], iptables: [output(rule)], ipsets: [], gaps: [] };
  b.link(na, 'ens3', 'device');
  b.addr(na, 'ens3', '10.0.0.1/24');
  b.link(na, 'vx0', 'vxlan', {
    vxlan: {
      vni: 42,
      remote: '10.0.0.2',
      local: '10.0.0.1',
      port: 4789,
      learning: true,
      socketNetns: na.ref,
      ...(opts.srcPorts ? { srcPorts: opts.srcPorts } : {}),
    },
  });
  const index = new SnapshotIndex(b.snapshot());
  const w = new Walk(index, 'request');
  const packet = icmpEcho({ src: '10.9.0.2', dst: '10.9.0.3', type: 'echo-request', size: 84, df: false });
  w.transmit(index.linkByName(na.ref, 'vx0')!, { srcMac: '0a:58:0a:09:00:02', dstMac: '0a:58:0a:09:00:03', packet });
  return w.hops.find((h) => h.component === 'netfilter');
}

const sport = (spec: string): string[] => ['-p', 'udp', '-m', 'udp', '--sport', spec, '-j', 'DROP'];

describe("a VXLAN device's outer source port, picked by a hash of the inner flow", () => {
  it("lies in its namespace's ip_local_port_range where the device sets no range of its own", () => {
    // `--sport 4789` (the tunnel's port on both ends, a common slip): never the source port here.
    expect(sendThrough(sport('4789'))).toBeUndefined();
    expect(sendThrough(sport('32768:60999'))).toMatchObject({ verdict: 'dropped', dropReason: 'NETFILTER_DROP' });
    expect(sendThrough(sport('40000'))).toMatchObject({ verdict: 'unknown' });
    // Without the range collected, nothing can be told of it.
    expect(sendThrough(sport('4789'), { range: false })).toMatchObject({ verdict: 'unknown' });
    expect(sendThrough(sport('4789'), { range: false })?.reason).toContain('a hash of the inner flow');
  });

  it('lies in its own `srcport` range where it sets one', () => {
    const srcPorts = { low: 5000, high: 5010 };
    expect(sendThrough(sport('4000:6000'), { srcPorts })).toMatchObject({ verdict: 'dropped' });
    expect(sendThrough(sport('32768:60999'), { srcPorts })).toBeUndefined();
    // low ≥ high is no range: the kernel takes the namespace's.
    expect(sendThrough(sport('32768:60999'), { srcPorts: { low: 5000, high: 5000 } })).toMatchObject({
      verdict: 'dropped',
    });
  });
});
