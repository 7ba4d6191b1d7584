import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../schema/snapshot.ts';
import { SnapshotIndex, type LinkEntry } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, linkIn, nsIn, SEED, seedBroken, seedFixed } from '../testing/seedFixtures.ts';
import { passThrough } from '../topology/passThrough.ts';
import { directlyAttached, neighborMacMismatch } from './neighborMacMismatch.ts';

describe('neighbor-mac-mismatch', () => {
  it('flags the worker ARP entry whose MAC the receiving pod VM interface does not have', () => {
    const findings = neighborMacMismatch.run(new SnapshotIndex(seedBroken()));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'neighbor-mac-mismatch', severity: 'critical' });
    expect(findings[0]!.evidence).toMatchObject({ ip: SEED.podIp, neighborMac: SEED.podMac, receiverMac: SEED.vmMac });
    expect(findings[0]!.message).toContain(`${SEED.podns.netns}/vxlan0`);
  });

  it('accepts every entry of the fixed lab, underlay neighbors included', () => {
    expect(neighborMacMismatch.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });

  it('flags an underlay entry that points at a MAC the peer NIC does not have', () => {
    const snap = seedFixed();
    const root = snap.hosts[0]!.namespaces.find((n) => n.root)!;
    const entry = root.neighbors.find((n) => n.dev === 'ens3' && n.ip === '192.168.200.2');
    expect(entry).toBeDefined();
    entry!.mac = '02:00:00:00:00:99';
    const findings = neighborMacMismatch.run(new SnapshotIndex(snap));
    expect(findings.map((f) => f.evidence.ip)).toEqual(['192.168.200.2']);
    expect(findings[0]!.fix).toMatch(
      /^ip netns exec hl-seed-worker ip neigh replace 192.168.200.2 lladdr [0-9a-f:]{17} dev ens3 nud permanent$/,
    );
  });

  it('flags a stale entry a bridge floods to nobody, by what ARP would answer now', () => {
    const snap = bridgedOk();
    const a2 = nsIn(snap, BRIDGED.a2);
    a2.neighbors = [{ ip: '10.244.1.3', dev: 'eth0', mac: '0a:58:de:ad:be:ef', state: ['PERMANENT'] }];
    const [f, ...rest] = neighborMacMismatch.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.subjects).toEqual([linkId(snap, BRIDGED.a2, 'eth0'), linkId(snap, BRIDGED.a3, 'eth0')]);
    expect(f!.fix).toMatch(
      /^ip netns exec hl-brdg-na-p2 ip neigh replace 10\.244\.1\.3 lladdr [0-9a-f:]{17} dev eth0 nud permanent$/,
    );
  });

  it('warns for a confirmed entry (REACHABLE): wrong until the kernel next doubts it', () => {
    const snap = bridgedOk();
    nsIn(snap, BRIDGED.a2).neighbors = [
      { ip: '10.244.1.3', dev: 'eth0', mac: '0a:58:de:ad:be:ef', state: ['REACHABLE'] },
    ];
    expect(neighborMacMismatch.run(new SnapshotIndex(snap)).map((f) => f.severity)).toEqual(['warning']);
  });

  it('only informs of a STALE, DELAY or PROBE entry, which heals at its next use, and never undoes the receiver', () => {
    for (const state of ['STALE', 'DELAY', 'PROBE']) {
      const snap = bridgedOk();
      nsIn(snap, BRIDGED.a2).neighbors = [{ ip: '10.244.1.3', dev: 'eth0', mac: '0a:58:de:ad:be:ef', state: [state] }];
      const [f, ...more] = neighborMacMismatch.run(new SnapshotIndex(snap));
      expect(more).toEqual([]);
      expect(f).toMatchObject({
        severity: 'info',
        fix: 'ip netns exec hl-brdg-na-p2 ip neigh del 10.244.1.3 dev eth0',
      });
      expect(f!.message).toContain(`the entry is ${state}`);
      expect(f!.message).toContain('then it heals');
    }
  });

  it('accepts every entry of the fault-free bridged lab', () => {
    expect(neighborMacMismatch.run(new SnapshotIndex(bridgedOk()))).toEqual([]);
  });

  describe('directlyAttached', () => {
    // The lab's veths get random MACs: pod a2's is whatever the recording holds.
    const A2_MAC = linkIn(bridgedOk(), BRIDGED.a2, 'eth0').mac!;
    /** Whether the entry for `ip` at `mac` on node A's bridge needs no walk; `through` names pass-through interfaces. */
    const attached = (
      snap: Snapshot,
      ip: string,
      mac: string,
      through?: (i: SnapshotIndex) => LinkEntry[],
    ): boolean => {
      const index = new SnapshotIndex(snap);
      const cni0 = index.linkByName(BRIDGED.nodeA, 'cni0')!;
      return directlyAttached(index, through ? new Set(through(index)) : passThrough(index), cni0, ip, mac);
    };

    it("takes a node's entry for a pod behind a port of its bridge as attached, in any case", () => {
      expect(attached(bridgedOk(), '10.244.1.2', A2_MAC)).toBe(true);
      expect(attached(bridgedOk(), '10.244.1.2', A2_MAC.toUpperCase())).toBe(true);
    });

    it('does not when the pod with that MAC does not hold the address', () => {
      expect(attached(bridgedOk(), '10.244.1.3', A2_MAC)).toBe(false);
    });

    it('does not when the pod interface passes every frame elsewhere', () => {
      expect(attached(bridgedOk(), '10.244.1.2', A2_MAC, (i) => [i.linkByName(BRIDGED.a2, 'eth0')!])).toBe(false);
    });

    it("still finds the pod when the bridge's fdb puts its MAC behind another port", () => {
      const snap = bridgedOk();
      nsIn(snap, BRIDGED.nodeA).fdb!.push({ mac: A2_MAC, dev: 'veth3', master: 'cni0', flags: [], state: 'dynamic' });
      const index = new SnapshotIndex(snap);
      expect(index.bridgePortFor(index.linkByName(BRIDGED.nodeA, 'cni0')!, A2_MAC)?.link.name).toBe('veth3');
      expect(attached(snap, '10.244.1.2', A2_MAC)).toBe(true);
    });
  });
});
