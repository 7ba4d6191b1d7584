import { describe, expect, it } from 'vitest';
import { NetBuilder } from '../../testing/netBuilder.ts';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/**
 * A node's active-backup bond0 (10.40.0.1) with slaves ens3 and ens4, cabled to a router's bridge
 * (10.40.0.100); `active` names the active slave, and the bridge learnt the bond's MAC behind `learnt`.
 * Each side already knows the other's MAC (no ARP). Traced from `from`: the node's own frames, in
 * by the active slave's port, teach the bridge where the bond is; the router's find the stale entry.
 */
function bonded(
  active: 'ens3' | 'ens4' | 'untold',
  learnt: 'r3' | 'r4',
  from: 'node' | 'router' = 'node',
  mode = 'active-backup',
) {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true });
  const router = b.netns('router', 'router', { root: true });
  const bond = b.link(node, 'bond0', 'bond', { kindData: { kind: 'bond', mode } });
  const br = b.link(router, 'br0', 'bridge');
  for (const [slave, port] of [
    ['ens3', 'r3'],
    ['ens4', 'r4'],
  ] as const) {
    const [s, p] = b.veth(node, slave, router, port);
    s.mac = bond.mac;
    s.masterIfindex = bond.ifindex;
    // 'untold': the slaves' bonding state was not collected.
    if (active !== 'untold') s.slave = { kind: 'bond', state: slave === active ? 'active' : 'backup' };
    p.masterIfindex = br.ifindex;
    p.slave = { kind: 'bridge', state: 'forwarding', hairpin: false };
  }
  router.ns.fdb = [{ mac: bond.mac!, dev: learnt, master: 'br0', flags: ['master'], state: 'dynamic' }];
  b.addr(node, 'bond0', '10.40.0.1/24');
  b.addr(router, 'br0', '10.40.0.100/24');
  b.neighbor(node, 'bond0', '10.40.0.100', br.mac!, 'REACHABLE');
  b.neighbor(router, 'br0', '10.40.0.1', bond.mac!, 'REACHABLE');
  if (mode === 'broadcast')
    // The router's firewall could not be read: whether a copy that reaches it is taken cannot be told.
    router.ns.firewall = {
      nftables: [],
      iptables: [],
      ipsets: [],
      gaps: [{ family: 'all', what: 'nftables', reason: 'nft: not found' }],
    };
  const index = new SnapshotIndex(b.snapshot());
  const to = from === 'node' ? '10.40.0.100' : '10.40.0.1';
  return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
}

describe('bonds (modelled from drivers/net/bonding; the module is missing on this kernel)', () => {
  it('send by the active slave, and take what comes in on it', () => {
    const result = bonded('ens3', 'r3');
    expect(result.verdict).toBe('delivered');
    expect(result.hops.find((h) => h.component === 'bond')!.reason).toContain('active slave: out of ens3');
  });

  it('pass nothing up from the backup slave: a switch that still sends there loses the traffic', () => {
    const result = bonded('ens4', 'r3', 'router');
    expect(result.hops.find((h) => h.verdict !== 'ok')).toMatchObject({
      direction: 'request',
      interface: 'ens3',
      component: 'bond',
      dropReason: 'UNHANDLED_PROTO',
    });
  });

  it('reach a bond behind a stale fdb entry once its own frame, sent by the new active slave, moved it', () => {
    const result = bonded('ens4', 'r3');
    expect(result.verdict).toBe('delivered');
    expect(result.hops.map((h) => h.reason).join('\n')).toContain(
      'to r4 (learnt from a frame of this trace that came in by r4; the collected fdb had it behind r3)',
    );
  });

  it('broadcast mode: cannot tell, never drops, where no copy is delivered and one cannot be told', () => {
    const result = bonded('untold', 'r3', 'node', 'broadcast');
    expectUnknownStop(result, ['nftables of this namespace could not be read (nft: not found)']);
    expect(result.hops.filter((h) => h.component === 'bond').map((h) => h.reason)).toEqual([
      'broadcast mode: out of ens3 (node/node)',
      'broadcast mode: out of ens4 (node/node)',
    ]);
  });

  it('cannot tell which slave sends where their states were not collected, and says what would happen', () => {
    expectUnknownStop(bonded('untold', 'r3'), [
      'which slave of bond bond0 (active-backup) is active was not collected (ens3, ens4)',
      'and be dropped if none is',
    ]);
  });
});
