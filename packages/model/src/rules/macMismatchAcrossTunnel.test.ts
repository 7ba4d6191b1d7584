import { describe, expect, it } from 'vitest';
import { interfaceId } from '../ids.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkIn, SEED, seedBroken, seedFixed } from '../testing/seedFixtures.ts';
import { macMismatchAcrossTunnel } from './macMismatchAcrossTunnel.ts';

describe('mac-mismatch-across-tunnel', () => {
  it('flags the pod VM MAC that differs from the worker eth0 MAC, naming both and the fix', () => {
    const snap = seedBroken();
    const [finding, ...rest] = macMismatchAcrossTunnel.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    const eth0 = interfaceId({ ...SEED.pod, ifindex: linkIn(snap, SEED.pod, 'eth0').ifindex });
    const vxlan0 = interfaceId({ ...SEED.podns, ifindex: linkIn(snap, SEED.podns, 'vxlan0').ifindex });
    expect(finding).toMatchObject({ rule: 'mac-mismatch-across-tunnel', severity: 'fatal' });
    expect(finding!.subjects.slice(0, 2)).toEqual([eth0, vxlan0]);
    expect(finding!.message).toContain(SEED.podMac);
    expect(finding!.message).toContain(SEED.vmMac);
    expect(finding!.fix).toBe(`ip netns exec ${SEED.podns.netns} ip link set dev vxlan0 address ${SEED.podMac}`);
  });

  it('is silent when the pod VM interface has the pod MAC', () => {
    expect(macMismatchAcrossTunnel.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });

  it('compares MACs case-insensitively', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').mac = SEED.podMac.toUpperCase();
    expect(macMismatchAcrossTunnel.run(new SnapshotIndex(snap))).toEqual([]);
  });

  it('quotes the kernel’s count of frames dropped as another host’s, when the collector has it', () => {
    const snap = seedBroken();
    const vxlan0 = linkIn(snap, SEED.podns, 'vxlan0');
    vxlan0.stats = {
      rxPackets: 9,
      rxBytes: 900,
      rxErrors: 0,
      rxDropped: 0,
      txPackets: 0,
      txBytes: 0,
      txErrors: 0,
      txDropped: 0,
      rxOtherhostDropped: 7,
    };
    const [finding] = macMismatchAcrossTunnel.run(new SnapshotIndex(snap));
    expect(finding!.message).toMatch(/rx_otherhost_dropped stands at 7\)$/);
    expect(finding!.evidence.rxOtherhostDropped).toBe('7');
  });
});
