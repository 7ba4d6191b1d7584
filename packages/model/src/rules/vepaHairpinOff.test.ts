import { describe, expect, it } from 'vitest';
import { NetBuilder } from '../testing/netBuilder.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { vepaHairpinOff } from './vepaHairpinOff.ts';

function vepaBehindBridge(hairpin: boolean) {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true });
  const sw = b.netns('switch', 'sw', { root: true });
  const br = b.link(sw, 'br0', 'bridge');
  const [ens3, swn] = b.veth(node, 'ens3', sw, 'sw-n');
  swn.masterIfindex = br.ifindex;
  swn.slave = { kind: 'bridge', state: 'forwarding', hairpin };
  for (const name of ['p1', 'p2']) {
    const pod = b.netns('node', name);
    b.stacked(pod, 'eth0', { at: node, link: ens3 }, { kind: 'macvlan', mode: 'vepa' });
  }
  return b;
}

describe('vepa-hairpin-off', () => {
  it('turns hairpin on at the bridge port VEPA macvlans depend on', () => {
    const [f, ...rest] = vepaHairpinOff.run(new SnapshotIndex(vepaBehindBridge(false).snapshot()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', fix: 'ip netns exec sw bridge link set dev sw-n hairpin on' });
  });

  it('is silent with hairpin on', () => {
    expect(vepaHairpinOff.run(new SnapshotIndex(vepaBehindBridge(true).snapshot()))).toEqual([]);
  });
});
