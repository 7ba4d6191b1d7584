import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { NetBuilder } from '../testing/netBuilder.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { PILE_UP, tunnelConntrackUnreplied } from './tunnelConntrackUnreplied.ts';

/** A worker with a VXLAN tunnel to a pod VM, its socket in the worker's root namespace. */
function worker(unreplied: { port: number; count: number }[] | undefined, remote = '192.168.100.2') {
  const b = new NetBuilder();
  const w = b.netns('worker', 'wk', { root: true });
  b.link(w, 'vxlan0', 'vxlan', { vxlan: { vni: 100, remote, port: 4789, learning: false, socketNetns: w.ref } });
  if (unreplied) w.ns.conntrackUnreplied = unreplied;
  w.ns.sysctls!.conntrackMax = 262144;
  return { b, w };
}

describe('tunnel-conntrack-unreplied', () => {
  it('warns when unreplied entries pile up on the tunnel port, with NOTRACK both ways as the fix', () => {
    const { b, w } = worker([
      { port: 4789, count: 2400 },
      { port: 53, count: 9000 },
    ]);
    const [f, ...rest] = tunnelConntrackUnreplied.run(new SnapshotIndex(b.snapshot()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', evidence: { port: '4789', unreplied: '2400' } });
    expect(f!.subjects).toContain(netnsId(w.ref));
    expect(f!.message).toContain('0.9% of nf_conntrack_max 262144');
    expect(f!.fix!.split('\n')).toEqual([
      'ip netns exec wk iptables -t raw -I PREROUTING -p udp --dport 4789 -j NOTRACK',
      'ip netns exec wk iptables -t raw -I OUTPUT -p udp --dport 4789 -j NOTRACK',
      'ip netns exec wk conntrack -D -f ipv4 -p udp --dport 4789 || true',
    ]);
  });

  it('only informs below the pile-up, and uses ip6tables for an IPv6 underlay', () => {
    const { b } = worker([{ port: 4789, count: PILE_UP - 1 }], 'fd00::2');
    const [f] = tunnelConntrackUnreplied.run(new SnapshotIndex(b.snapshot()));
    expect(f!.severity).toBe('info');
    expect(f!.fix).toContain('ip6tables -t raw -I PREROUTING');
    expect(f!.fix).toContain('conntrack -D -f ipv6');
  });

  it('is silent where the tunnel is not tracked, other ports are, or the table was not read', () => {
    for (const unreplied of [[], [{ port: 53, count: 5000 }], undefined]) {
      expect(tunnelConntrackUnreplied.run(new SnapshotIndex(worker(unreplied).b.snapshot()))).toEqual([]);
    }
  });
});
