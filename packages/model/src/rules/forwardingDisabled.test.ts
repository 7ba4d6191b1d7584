import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, nsId, nsIn, seedFixed } from '../testing/seedFixtures.ts';
import { forwardingDisabled } from './forwardingDisabled.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';

describe('forwarding-disabled', () => {
  it('flags a gateway namespace that does not forward, once, with its clients', () => {
    const snap = bridgedOk();
    nsIn(snap, BRIDGED.nodeB).ipForward = false;
    const [f, ...rest] = forwardingDisabled.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subjects: [nsId(BRIDGED.nodeB)] });
    // Its two pods and node-a, which routes node-b's pod subnet through it.
    expect(f!.evidence.clients).toBe('3');
    expect(f!.fix).toBe('ip netns exec hl-brdg-nb sysctl -w net.ipv4.ip_forward=1');
  });

  it('is silent when forwarding was not collected or is on', () => {
    const snap = bridgedOk();
    delete nsIn(snap, BRIDGED.nodeB).ipForward;
    expect(forwardingDisabled.run(new SnapshotIndex(snap))).toEqual([]);
    expect(forwardingDisabled.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });

  it('is silent for a route to an address the gateway holds itself', () => {
    // The node routes 10.250.0.1 via the gateway namespace that owns it and does not forward.
    const t = twoLinkRouter();
    expect(forwardingDisabled.run(new SnapshotIndex(t.b.snapshot()))).toEqual([]);
  });
});
