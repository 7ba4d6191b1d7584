import { describe, expect, it } from 'vitest';
import { NetBuilder, type BuiltNetns } from '../testing/netBuilder.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { bridgeFdbStale } from './bridgeFdbStale.ts';

/**
 * br0 with pods a, b and c behind va, vb, vc (the lab's bridge-ports scenario), and one fdb entry
 * for `who`'s MAC (b unless said) behind `dev` with the given state and flags.
 */
function bridge(entry: {
  state: string;
  flags?: string[];
  dev?: string;
  who?: string;
  vlan?: number;
  /** Leave the entry's port's pod out of the snapshot, as a host map without it would. */
  unseen?: boolean;
}) {
  const b = new NetBuilder();
  const node = b.netns('n', 'node', { root: true });
  const br = b.link(node, 'br0', 'bridge');
  const pods: Record<string, BuiltNetns> = {};
  for (const name of ['a', 'b', 'c']) {
    const p = b.netns('n', name);
    const [port] = b.veth(node, `v${name}`, p, 'eth0');
    port.masterIfindex = br.ifindex;
    pods[name] = p;
  }
  const mac = b.dev(pods[entry.who ?? 'b']!, 'eth0').mac!;
  node.ns.fdb = [
    {
      mac,
      dev: entry.dev ?? 'vc',
      master: 'br0',
      flags: ['master', ...(entry.flags ?? [])],
      state: entry.state,
      ...(entry.vlan === undefined ? {} : { vlan: entry.vlan }),
    },
  ];
  const snapshot = b.snapshot();
  if (entry.unseen) {
    const port = node.ns.links.find((l) => l.name === (entry.dev ?? 'vc'))!;
    const gone = port.peer!.netns;
    port.peerIfindex = port.peer!.ifindex;
    delete port.peer;
    for (const h of snapshot.hosts) h.namespaces = h.namespaces.filter((ns) => ns.name !== gone);
  }
  return { mac, findings: bridgeFdbStale.run(new SnapshotIndex(snapshot)) };
}

describe('bridge-fdb-stale', () => {
  it('names a sticky entry behind the wrong port as critical, with the command that deletes it', () => {
    const { mac, findings } = bridge({ state: 'static', flags: ['sticky'] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'critical',
      evidence: { mac, entry: `${mac} dev vc master br0 static sticky`, behind: 'vb' },
      fix: `ip netns exec node bridge fdb del ${mac} dev vc master`,
    });
    expect(findings[0]!.message).toContain(
      `sends frames for ${mac} out of vc (a sticky static entry), but ${mac} is behind vb`,
    );
    expect(findings[0]!.subjects).toHaveLength(3);
  });

  it.each(['dynamic', 'static'])(
    'reports a %s entry behind the wrong port as info: the owner’s next frame moves it',
    (state) => {
      const { findings } = bridge({ state });
      expect(findings.map((f) => f.severity)).toEqual(['info']);
      expect(findings[0]!.message).toContain('the bridge moves it when a frame from');
      expect(findings[0]!.message.includes('ages out')).toBe(state === 'dynamic');
    },
  );

  it('says nothing of an entry on a port whose pod was not collected: its MAC may be there too', () => {
    expect(bridge({ state: 'static', flags: ['sticky'] }).findings).toHaveLength(1);
    expect(bridge({ state: 'static', flags: ['sticky'], unseen: true }).findings).toEqual([]);
  });

  it('keeps the VLAN in the message and the fix', () => {
    const { mac, findings } = bridge({ state: 'static', flags: ['sticky'], vlan: 100 });
    expect(findings[0]!.message).toContain(`${mac} in VLAN 100`);
    expect(findings[0]!.fix).toBe(`ip netns exec node bridge fdb del ${mac} dev vc master vlan 100`);
  });

  it('is silent where the entry names the owner’s port, the MAC is nobody’s, or the entry is the bridge’s own', () => {
    expect(bridge({ state: 'static', flags: ['sticky'], dev: 'vb' }).findings).toEqual([]);
    expect(bridge({ state: 'dynamic', dev: 'vb' }).findings).toEqual([]);
    expect(bridge({ state: 'permanent', dev: 'vc' }).findings).toEqual([]);
    const b = new NetBuilder();
    const node = b.netns('n', 'node', { root: true });
    const br = b.link(node, 'br0', 'bridge');
    const [port] = b.veth(node, 'va', b.netns('n', 'a'), 'eth0');
    port.masterIfindex = br.ifindex;
    node.ns.fdb = [
      { mac: '02:00:00:00:00:99', dev: 'va', master: 'br0', flags: ['master', 'sticky'], state: 'static' },
    ];
    expect(bridgeFdbStale.run(new SnapshotIndex(b.snapshot()))).toEqual([]);
  });
});
